import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  type TableDescription,
  UpdateTableCommand,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/time/clock.js';
import { expectAwsError } from '../../helpers/awsError.js';
import { createTableInput } from '../../helpers/createTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { readOracle } from '../../helpers/oracles.js';

const ACCOUNT = '000000000000';
const ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table`;

let h: EmulatorHarness;
let tables = 0;
const fresh = () => `cp-table-${++tables}`;

/** A minimal valid CreateTable input (on demand, keyed by pk S); `extra` overrides or adds members. */
const createInput = (name: string, extra: Record<string, unknown> = {}): CreateTableCommandInput =>
  ({ ...createTableInput(name, { pk: 'S' }), ...extra }) as CreateTableCommandInput;

const create = async (name: string, extra: Record<string, unknown> = {}) =>
  (await h.dynamodb.send(new CreateTableCommand(createInput(name, extra))))
    .TableDescription as TableDescription;
const describeTable = async (name: string) =>
  (await h.dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table as TableDescription;
const update = async (input: Record<string, unknown>) =>
  (await h.dynamodb.send(new UpdateTableCommand(input as unknown as UpdateTableCommandInput)))
    .TableDescription as TableDescription;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('CreateTable', () => {
  it('answers a PROVISIONED table as AWS does: CREATING, no billing summary, no warm throughput', async () => {
    const name = fresh();
    const description = await create(name, {
      BillingMode: undefined,
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
    });
    expect(description).toMatchObject({
      TableName: name,
      TableStatus: 'CREATING',
      TableArn: `${ARN}/${name}`,
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
      DeletionProtectionEnabled: false,
      ItemCount: 0,
      TableSizeBytes: 0,
    });
    expect(description.BillingModeSummary).toBeUndefined();
    expect(description.WarmThroughput).toBeUndefined();
    expect(description.SSEDescription).toBeUndefined();
    expect(description.TableClassSummary).toBeUndefined();
    expect(description.StreamSpecification).toBeUndefined();
    const described = await describeTable(name);
    expect(described).toMatchObject({
      TableStatus: 'ACTIVE',
      WarmThroughput: { ReadUnitsPerSecond: 5, WriteUnitsPerSecond: 6, Status: 'ACTIVE' },
    });
    expect(described.BillingModeSummary).toBeUndefined();
  });

  it('answers a PAY_PER_REQUEST table with its billing summary and on-demand warm throughput', async () => {
    const name = fresh();
    const description = await create(name);
    expect(description.BillingModeSummary).toEqual({ BillingMode: 'PAY_PER_REQUEST' });
    expect(description.ProvisionedThroughput).toEqual({
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: 0,
      WriteCapacityUnits: 0,
    });
    const described = await describeTable(name);
    expect(described.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(described.BillingModeSummary?.LastUpdateToPayPerRequestDateTime).toEqual(
      described.CreationDateTime,
    );
    expect(described.WarmThroughput).toEqual({
      ReadUnitsPerSecond: 12000,
      WriteUnitsPerSecond: 4000,
      Status: 'ACTIVE',
    });
  });

  it('encrypts with the AWS managed key, a customer key by id, ARN or alias, or the AWS owned key', async () => {
    const managed = await create(fresh(), { SSESpecification: { Enabled: true } });
    expect(managed.SSEDescription).toMatchObject({ Status: 'ENABLED', SSEType: 'KMS' });
    expect(managed.SSEDescription?.KMSMasterKeyArn).toMatch(
      new RegExp(
        `^arn:aws:kms:us-east-1:${ACCOUNT}:key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
      ),
    );
    const typeOnly = await create(fresh(), { SSESpecification: { SSEType: 'KMS' } });
    expect(typeOnly.SSEDescription?.KMSMasterKeyArn).toBe(managed.SSEDescription?.KMSMasterKeyArn);
    const byId = await create(fresh(), {
      SSESpecification: {
        Enabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    });
    expect(byId.SSEDescription?.KMSMasterKeyArn).toBe(
      `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    );
    const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/abcd`;
    const byArn = await create(fresh(), {
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    });
    expect(byArn.SSEDescription?.KMSMasterKeyArn).toBe(keyArn);
    const byAlias = await create(fresh(), {
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/mine' },
    });
    expect(byAlias.SSEDescription?.KMSMasterKeyArn).toMatch(
      new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT}:key/`),
    );
    const owned = await create(fresh(), { SSESpecification: { Enabled: false } });
    expect(owned.SSEDescription).toBeUndefined();
    const empty = await create(fresh(), { SSESpecification: {} });
    expect(empty.SSEDescription).toBeUndefined();
    const name = fresh();
    await create(name, { SSESpecification: { Enabled: true } });
    expect((await describeTable(name)).SSEDescription).toEqual(managed.SSEDescription);
  });

  it('keeps the table class, deletion protection, stream and tags it is given', async () => {
    const name = fresh();
    const description = await create(name, {
      TableClass: 'STANDARD_INFREQUENT_ACCESS',
      DeletionProtectionEnabled: true,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      Tags: [
        { Key: 'team', Value: 'orders' },
        { Key: 'env', Value: '' },
      ],
    });
    expect(description).toMatchObject({
      TableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
      DeletionProtectionEnabled: true,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    expect(description.LatestStreamArn).toBe(`${ARN}/${name}/stream/${description.LatestStreamLabel}`);
    const { Tags } = await h.dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: `${ARN}/${name}` }));
    expect(Tags).toEqual([
      { Key: 'team', Value: 'orders' },
      { Key: 'env', Value: '' },
    ]);
    const standard = await create(fresh(), { TableClass: 'STANDARD' });
    expect(standard.TableClassSummary).toEqual({ TableClass: 'STANDARD' });
    const disabled = await create(fresh(), { StreamSpecification: { StreamEnabled: false } });
    expect(disabled.StreamSpecification).toBeUndefined();
    expect(disabled.LatestStreamArn).toBeUndefined();
  });

  it('refuses a name in use', async () => {
    const name = fresh();
    await create(name);
    await expectAwsError(
      h.dynamodb.send(new CreateTableCommand(createInput(name))),
      'ResourceInUseException',
      `Table already exists: ${name}`,
    );
  });

  const longName = 'a'.repeat(256);
  const oneKey = {
    AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
  };
  it.each([
    [
      'every constraint of the request at once, in DynamoDB order',
      { TableName: 'ab;', AttributeDefinitions: undefined, KeySchema: undefined, BillingMode: 'FREE' },
      "4 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null; " +
        "Value 'ab;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]; " +
        "Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
    ],
    [
      'a long table name',
      { TableName: longName },
      `1 validation error detected: Value '${longName}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`,
    ],
    [
      'throughput below 1',
      { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: -1 } },
      "2 validation errors detected: Value '-1' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      'an empty throughput',
      { BillingMode: 'PROVISIONED', ProvisionedThroughput: {} },
      "2 validation errors detected: Value null at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must not be null",
    ],
    [
      'an unknown attribute type and key type',
      {
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'SS' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'PRIMARY' }],
      },
      "2 validation errors detected: Value 'SS' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]; " +
        "Value 'PRIMARY' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
    ],
    [
      'an empty key schema',
      { KeySchema: [] },
      "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'a stream without StreamEnabled and with a lowercase view type',
      { StreamSpecification: { StreamViewType: 'new_image' } },
      "2 validation errors detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null; " +
        "Value 'new_image' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]",
    ],
    [
      'a lowercase SSEType',
      { SSESpecification: { Enabled: true, SSEType: 'kms' } },
      "1 validation error detected: Value 'kms' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]",
    ],
    [
      'throughput on an on-demand table',
      { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    ],
    [
      'a provisioned table without throughput',
      { BillingMode: undefined },
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    ],
    [
      'throughput above the bound',
      {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1_000_000_000_001, WriteCapacityUnits: 1 },
      },
      'Given value 1000000000001 for ReadCapacityUnits is out of bounds',
    ],
    [
      'more keys than definitions',
      { AttributeDefinitions: [], KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }] },
      'Invalid KeySchema: Some index key attribute have no definition',
    ],
    [
      'a key attribute without definition',
      {
        AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
      },
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]',
    ],
    [
      'a duplicated attribute definition',
      {
        AttributeDefinitions: [
          { AttributeName: 'a', AttributeType: 'S' },
          { AttributeName: 'a', AttributeType: 'N' },
        ],
        KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
      },
      'Attribute Name is duplicated: a',
    ],
    [
      'the same attribute as hash and range key',
      {
        AttributeDefinitions: [
          { AttributeName: 'a', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'a', KeyType: 'HASH' },
          { AttributeName: 'a', KeyType: 'RANGE' },
        ],
      },
      'Both the Hash Key and the Range Key element in the KeySchema have the same name',
    ],
    [
      'a range key first',
      {
        AttributeDefinitions: [
          { AttributeName: 'a', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'a', KeyType: 'RANGE' },
          { AttributeName: 'b', KeyType: 'HASH' },
        ],
      },
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    ],
    [
      'two hash keys',
      {
        AttributeDefinitions: [
          { AttributeName: 'a', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'a', KeyType: 'HASH' },
          { AttributeName: 'b', KeyType: 'HASH' },
        ],
      },
      'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type',
    ],
    [
      'an unused attribute definition',
      {
        AttributeDefinitions: [
          { AttributeName: 'a', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
      },
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    ],
    [
      'an enabled stream without view type',
      { ...oneKey, StreamSpecification: { StreamEnabled: true } },
      'One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required',
    ],
    [
      'a disabled stream with a view type',
      { ...oneKey, StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } },
      'One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified',
    ],
    [
      'an SSEType with encryption off',
      { SSESpecification: { Enabled: false, SSEType: 'KMS', KMSMasterKeyId: 'k' } },
      'One or more parameter values were invalid: SSEType can not be specified if Enabled is false',
    ],
    [
      'a key with encryption off',
      { SSESpecification: { Enabled: false, KMSMasterKeyId: 'k' } },
      'One or more parameter values were invalid: KMSMasterKeyId can not be specified if Enabled is false',
    ],
    [
      'AES256',
      { SSESpecification: { Enabled: true, SSEType: 'AES256' } },
      'One or more parameter values were invalid: SSEType AES256 is not supported',
    ],
    [
      'a key without SSEType',
      { SSESpecification: { Enabled: true, KMSMasterKeyId: 'alias/aws/dynamodb' } },
      'One or more parameter values were invalid: SSEType KMS is required if KMSMasterKeyId is specified',
    ],
    [
      'an unknown table class',
      { TableClass: 'GLACIER' },
      'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].',
    ],
    [
      'a tag key under aws:',
      { Tags: [{ Key: 'aws:x', Value: 'v' }] },
      'Tag Key cannot be prefixed with aws:, Key: aws:x',
    ],
    [
      'too many tags',
      { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) },
      'Number of Tags exceed the current limit for the provided ResourceArn',
    ],
  ])('refuses %s', async (_what, extra, message) => {
    await expectAwsError(
      h.dynamodb.send(new CreateTableCommand(createInput(fresh(), extra))),
      'ValidationException',
      message,
    );
  });

  it('checks the request before it looks at existing tables', async () => {
    const name = fresh();
    await create(name);
    await expectAwsError(
      h.dynamodb.send(new CreateTableCommand(createInput(name, { TableClass: 'X' }))),
      'ValidationException',
      'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].',
    );
  });
});

describe('DescribeTable, ListTables, DeleteTable', () => {
  it('names the missing table', async () => {
    await expectAwsError(
      h.dynamodb.send(new DescribeTableCommand({ TableName: 'missing' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: missing not found',
    );
    await expectAwsError(
      h.dynamodb.send(new DeleteTableCommand({ TableName: 'missing' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: missing not found',
    );
  });

  it('answers DeleteTable with the short description AWS gives and forgets the table', async () => {
    const name = fresh();
    await create(name, { SSESpecification: { Enabled: true } });
    const { TableDescription } = await h.dynamodb.send(new DeleteTableCommand({ TableName: name }));
    expect(TableDescription).toMatchObject({
      TableName: name,
      TableStatus: 'DELETING',
      TableArn: `${ARN}/${name}`,
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' },
      DeletionProtectionEnabled: false,
    });
    expect(TableDescription?.KeySchema).toBeUndefined();
    expect(TableDescription?.AttributeDefinitions).toBeUndefined();
    expect(TableDescription?.CreationDateTime).toBeUndefined();
    expect((await h.dynamodb.send(new ListTablesCommand({}))).TableNames).not.toContain(name);
    await create(name);
  });

  it('refuses to delete a protected table until protection is off', async () => {
    const name = fresh();
    await create(name, { DeletionProtectionEnabled: true });
    await expectAwsError(
      h.dynamodb.send(new DeleteTableCommand({ TableName: name })),
      'ValidationException',
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
    expect((await describeTable(name)).TableStatus).toBe('ACTIVE');
    const response = await update({ TableName: name, DeletionProtectionEnabled: false });
    // Deletion protection is synchronous: the table stays ACTIVE.
    expect(response).toMatchObject({ TableStatus: 'ACTIVE', DeletionProtectionEnabled: false });
    await h.dynamodb.send(new DeleteTableCommand({ TableName: name }));
  });

  it('refuses a Limit out of range', async () => {
    await expectAwsError(
      h.dynamodb.send(new ListTablesCommand({ Limit: 0 })),
      'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });
});

describe('UpdateTable', () => {
  it('switches billing modes both ways, keeping AWS bookkeeping', async () => {
    const name = fresh();
    await create(name);
    const toProvisioned = await update({
      TableName: name,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
    });
    // The response says UPDATING and still shows the table as it was.
    expect(toProvisioned).toMatchObject({
      TableStatus: 'UPDATING',
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    });
    const provisioned = await describeTable(name);
    expect(provisioned).toMatchObject({
      TableStatus: 'ACTIVE',
      BillingModeSummary: { BillingMode: 'PROVISIONED' },
      ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4, NumberOfDecreasesToday: 0 },
      WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000 },
    });
    expect(provisioned.BillingModeSummary?.LastUpdateToPayPerRequestDateTime).toBeInstanceOf(Date);
    await update({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 4 } });
    await update({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 4 } });
    const changed = await describeTable(name);
    expect(changed.ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 2,
      WriteCapacityUnits: 4,
      NumberOfDecreasesToday: 1,
    });
    expect(changed.ProvisionedThroughput?.LastIncreaseDateTime).toBeInstanceOf(Date);
    expect(changed.ProvisionedThroughput?.LastDecreaseDateTime).toBeInstanceOf(Date);
    const toOnDemand = await update({ TableName: name, BillingMode: 'PAY_PER_REQUEST' });
    expect(toOnDemand.TableStatus).toBe('UPDATING');
    expect(await describeTable(name)).toMatchObject({
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    });
    // Re-sending the current on-demand mode is accepted and changes nothing.
    expect((await update({ TableName: name, BillingMode: 'PAY_PER_REQUEST' })).TableStatus).toBe('UPDATING');
    expect((await describeTable(name)).TableStatus).toBe('ACTIVE');
  });

  it('enables a stream with a new ARN each time and disables it', async () => {
    const name = fresh();
    await create(name);
    const enabled = await update({
      TableName: name,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    });
    expect(enabled).toMatchObject({
      TableStatus: 'UPDATING',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    });
    const first = enabled.LatestStreamArn as string;
    await expectAwsError(
      update({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }),
      'ValidationException',
      `Table already has an enabled stream: TableName: ${name}`,
    );
    const disabled = await update({ TableName: name, StreamSpecification: { StreamEnabled: false } });
    // After a disable StreamSpecification is gone while the latest stream's ARN stays.
    expect(disabled.StreamSpecification).toBeUndefined();
    expect(disabled.LatestStreamArn).toBe(first);
    const old = await h.streams.send(new DescribeStreamCommand({ StreamArn: first }));
    expect(old.StreamDescription?.StreamStatus).toBe('DISABLED');
    await expectAwsError(
      update({ TableName: name, StreamSpecification: { StreamEnabled: false } }),
      'ValidationException',
      `Table has no stream to disable: TableName: ${name}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 2));
    const again = await update({
      TableName: name,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    expect(again.LatestStreamArn).not.toBe(first);
  });

  it('changes the table class, deletion protection and encryption one at a time', async () => {
    const name = fresh();
    await create(name);
    const classResponse = await update({ TableName: name, TableClass: 'STANDARD_INFREQUENT_ACCESS' });
    expect(classResponse.TableStatus).toBe('UPDATING');
    expect(classResponse.TableClassSummary).toBeUndefined();
    const summary = (await describeTable(name)).TableClassSummary;
    expect(summary?.TableClass).toBe('STANDARD_INFREQUENT_ACCESS');
    expect(summary?.LastUpdateDateTime).toBeInstanceOf(Date);

    expect(
      (await update({ TableName: name, DeletionProtectionEnabled: true })).DeletionProtectionEnabled,
    ).toBe(true);

    const enabling = await update({ TableName: name, SSESpecification: { Enabled: true } });
    expect(enabling.TableStatus).toBe('ACTIVE');
    expect(enabling.SSEDescription).toEqual({ Status: 'UPDATING' });
    const managed = (await describeTable(name)).SSEDescription;
    expect(managed).toMatchObject({ Status: 'ENABLED', SSEType: 'KMS' });
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/k-1`;
    const changing = await update({
      TableName: name,
      SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key },
    });
    // The response shows the key in use before the change.
    expect(changing.SSEDescription).toEqual({
      Status: 'UPDATING',
      SSEType: 'KMS',
      KMSMasterKeyArn: managed?.KMSMasterKeyArn,
    });
    expect((await describeTable(name)).SSEDescription?.KMSMasterKeyArn).toBe(key);
    await expectAwsError(
      update({ TableName: name, SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key } }),
      'ValidationException',
      'One or more parameter values were invalid: Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key',
    );
    await update({ TableName: name, SSESpecification: { Enabled: false } });
    expect((await describeTable(name)).SSEDescription).toBeUndefined();
    await expectAwsError(
      update({ TableName: name, SSESpecification: { Enabled: false } }),
      'ValidationException',
      'One or more parameter values were invalid: Table is already encrypted by default',
    );
  });

  it('adds, updates and deletes global secondary indexes', async () => {
    const name = fresh();
    await create(name, {
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    });
    await h.dynamodb.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, gk: { S: 'g' } } }));
    const gsiCreate = {
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'gk', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byGk',
            KeySchema: [{ AttributeName: 'gk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        },
      ],
    };
    expect((await update(gsiCreate)).TableStatus).toBe('UPDATING');
    expect((await describeTable(name)).AttributeDefinitions).toEqual([
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'gk', AttributeType: 'S' },
    ]);
    await expectAwsError(
      update(gsiCreate),
      'ValidationException',
      'Attempting to create an index which already exists',
    );
    await update({
      TableName: name,
      GlobalSecondaryIndexUpdates: [
        {
          Update: {
            IndexName: 'byGk',
            ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
          },
        },
      ],
    });
    await expectAwsError(
      update({
        TableName: name,
        GlobalSecondaryIndexUpdates: [
          {
            Update: {
              IndexName: 'byGk',
              ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
            },
          },
        ],
      }),
      'ValidationException',
      'The provisioned throughput for the index byGk will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the index: 2. Requested ReadCapacityUnits: 2. Current WriteCapacityUnits provisioned for the index: 2. Requested WriteCapacityUnits: 2. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
    await expectAwsError(
      update({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexUpdates: [
          {
            Update: {
              IndexName: 'byGk',
              ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 },
            },
          },
        ],
      }),
      'ValidationException',
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: byGk when BillingMode is PAY_PER_REQUEST',
    );
    await update({ TableName: name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byGk' } }] });
    expect((await describeTable(name)).AttributeDefinitions).toEqual([
      { AttributeName: 'pk', AttributeType: 'S' },
    ]);
    await expectAwsError(
      update({ TableName: name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byGk' } }] }),
      'ResourceNotFoundException',
      `Requested resource not found: Index byGk for table ${name}`,
    );
  });

  it('asks for index throughput when a table with indexes becomes PROVISIONED', async () => {
    const name = fresh();
    await create(name);
    await update({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'gk', AttributeType: 'N' }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byGk',
            KeySchema: [{ AttributeName: 'gk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        },
      ],
    });
    await expectAwsError(
      update({
        TableName: name,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
      'ValidationException',
      'One or more parameter values were invalid: ProvisionedThroughput must be specified for index: byGk',
    );
    await update({
      TableName: name,
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      GlobalSecondaryIndexUpdates: [
        {
          Update: {
            IndexName: 'byGk',
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        },
      ],
    });
    expect((await describeTable(name)).BillingModeSummary?.BillingMode).toBe('PROVISIONED');
  });

  const atLeastOne =
    'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required';
  it.each([
    ['nothing to update', {}, atLeastOne],
    [
      'only a member that is no update',
      { MultiRegionConsistency: 'EVENTUAL' },
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required',
    ],
    ['an empty index update list alone', { GlobalSecondaryIndexUpdates: [] }, atLeastOne],
    [
      'an empty index update list beside another change',
      { GlobalSecondaryIndexUpdates: [], TableClass: 'STANDARD' },
      'One or more parameter values were invalid: List of GlobalSecondaryIndexUpdates is empty',
    ],
    [
      'a bad billing mode and throughput',
      { BillingMode: 'FREE', ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 } },
      "2 validation errors detected: Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]; " +
        "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      'deletion protection with anything else',
      { DeletionProtectionEnabled: true, BillingMode: 'PAY_PER_REQUEST' },
      'One or more parameter values were invalid: DeletionProtection modification must be the only operation in the request',
    ],
    [
      'encryption with anything else (named first)',
      { DeletionProtectionEnabled: true, SSESpecification: { Enabled: true }, TableClass: 'STANDARD' },
      'One or more parameter values were invalid: Server-Side Encryption modification must be the only operation in the request',
    ],
    [
      'the table class with anything else',
      { DeletionProtectionEnabled: true, TableClass: 'STANDARD' },
      'One or more parameter values were invalid: TableClass modification must be the only operation in the request',
    ],
    [
      'a stream change with a throughput change',
      {
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      },
      'One or more parameter values were invalid: You cannot modify stream status while updating table IOPS',
    ],
    [
      'an index delete with a stream change',
      {
        StreamSpecification: { StreamEnabled: false },
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'idx' } }],
      },
      'One or more parameter values were invalid: You cannot create or delete index while changing stream status',
    ],
    [
      'an enabled stream without view type',
      { StreamSpecification: { StreamEnabled: true } },
      'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required',
    ],
    [
      'a disabled stream with a view type',
      { StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } },
      'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified',
    ],
    [
      'PROVISIONED without throughput',
      { BillingMode: 'PROVISIONED' },
      'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED',
    ],
    [
      'PAY_PER_REQUEST with throughput',
      {
        BillingMode: 'PAY_PER_REQUEST',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      },
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    ],
    [
      'throughput on an on-demand table',
      { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    ],
    [
      'an unknown table class',
      { TableClass: 'COLD' },
      'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].',
    ],
    [
      'an empty index update',
      { GlobalSecondaryIndexUpdates: [{}] },
      'One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null',
    ],
    [
      'two updates of one index',
      { GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'idx' } }, { Delete: { IndexName: 'idx' } }] },
      'One or more parameter values were invalid: Only one global secondary index update per index is allowed simultaneously. Index: idx',
    ],
    [
      'two actions in one index update',
      { GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'idx' }, Update: { IndexName: 'idx' } }] },
      'One or more parameter values were invalid: Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object',
    ],
    [
      'a short index name',
      { GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'ix' } }] },
      "1 validation error detected: Value 'ix' at 'globalSecondaryIndexUpdates.1.member.delete.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    ],
  ])('refuses %s', async (_what, extra, message) => {
    const name = fresh();
    await create(name);
    await expectAwsError(update({ TableName: name, ...extra }), 'ValidationException', message);
  });

  it('validates the request before it looks for the table', async () => {
    await expectAwsError(
      update({ TableName: 'missing', BillingMode: 'PROVISIONED' }),
      'ValidationException',
      'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED',
    );
    await expectAwsError(
      update({ TableName: 'missing', DeletionProtectionEnabled: true }),
      'ResourceNotFoundException',
      'Requested resource not found: Table: missing not found',
    );
  });

  it('refuses throughput that does not change', async () => {
    const name = fresh();
    await create(name, {
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
    });
    await expectAwsError(
      update({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 } }),
      'ValidationException',
      'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 1. Requested ReadCapacityUnits: 1. Current WriteCapacityUnits provisioned for the table: 2. Requested WriteCapacityUnits: 2. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
  });

  it('answers index changes it cannot make as AWS does', async () => {
    const name = fresh();
    await create(name, {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    await expectAwsError(
      update({ TableName: name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'ghost' } }] }),
      'ResourceNotFoundException',
      `Requested resource not found: Index ghost for table ${name}`,
    );
    await expectAwsError(
      update({
        TableName: name,
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'new',
              KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
      'ValidationException',
      'One or more parameter values were invalid: AttributeDefinitions is not specified for index: new',
    );
    const noRetries = new DynamoDBClient({
      endpoint: h.running.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await expectAwsError(
      noRetries.send(
        new UpdateTableCommand({
          TableName: name,
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'one' } }, { Delete: { IndexName: 'two' } }],
        }),
      ),
      'LimitExceededException',
      'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
    );
    noRetries.destroy();
  });
});

/** The member paths of a description (nested objects included), sorted: its shape without its values. */
const shapeOf = (value: unknown, prefix = ''): string[] =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
    ? Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .flatMap(([k, v]) => [`${prefix}${k}`, ...shapeOf(v, `${prefix}${k}.`)])
        .sort()
    : [];

describe('descriptions have the members AWS recorded', () => {
  const recorded = (file: string, test: string) =>
    (readOracle(file)[test] as { 'recorded-content': Record<string, Record<string, unknown>> })[
      'recorded-content'
    ];

  it('for a PROVISIONED table: CreateTable, DescribeTable, DeleteTable (test_table_crud)', async () => {
    const crud = recorded(
      'test_dynamodb.snapshot.json',
      'tests/aws/services/dynamodb/test_dynamodb.py::TestDynamoDB::test_table_crud',
    );
    const name = fresh();
    const input = {
      BillingMode: undefined,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    };
    expect(shapeOf(await create(name, input))).toEqual(shapeOf(crud['create-table']?.TableDescription));
    expect(shapeOf(await describeTable(name))).toEqual(shapeOf(crud['describe-table']?.Table));
    const deleted = (await h.dynamodb.send(new DeleteTableCommand({ TableName: name }))).TableDescription;
    expect(shapeOf(deleted)).toEqual(shapeOf(crud['delete-table']?.TableDescription));
  });

  it('for an on-demand table and its stream enable (Lambda ESM recordings)', async () => {
    const esm = recorded(
      'test_lambda_integration_dynamodbstreams.snapshot.json',
      'tests/aws/services/lambda_/event_source_mapping/test_lambda_integration_dynamodbstreams.py::TestDynamoDBEventSourceMapping::test_dynamodb_event_source_mapping_with_on_failure_destination_config',
    );
    const name = fresh();
    const input = {
      AttributeDefinitions: [{ AttributeName: 'my_partition_key', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'my_partition_key', KeyType: 'HASH' }],
    };
    expect(shapeOf(await create(name, input))).toEqual(shapeOf(esm.create_table_response?.TableDescription));
    const updated = await update({
      TableName: name,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    expect(shapeOf(updated)).toEqual(shapeOf(esm.update_table_response?.TableDescription));
    expect(updated.TableStatus).toBe('UPDATING');
  });
});

describe('DescribeEndpoints and DescribeLimits', () => {
  it('answers with the region endpoint and the default quotas', async () => {
    expect((await h.dynamodb.send(new DescribeEndpointsCommand({}))).Endpoints).toEqual([
      { Address: 'dynamodb.us-east-1.amazonaws.com', CachePeriodInMinutes: 1440 },
    ]);
    const eu = h.clientsFor('eu-west-1');
    expect((await eu.dynamodb.send(new DescribeEndpointsCommand({}))).Endpoints?.[0]?.Address).toBe(
      'dynamodb.eu-west-1.amazonaws.com',
    );
    expect(await h.dynamodb.send(new DescribeLimitsCommand({}))).toMatchObject({
      AccountMaxReadCapacityUnits: 80000,
      AccountMaxWriteCapacityUnits: 80000,
      TableMaxReadCapacityUnits: 40000,
      TableMaxWriteCapacityUnits: 40000,
    });
  });
});

describe('statuses that last (tableStatusDelayMs)', () => {
  let slow: EmulatorHarness;
  let clock: ManualClock;
  afterEach(() => slow.close());

  it('moves CREATING → ACTIVE → UPDATING → ACTIVE → DELETING → gone as the clock passes the delay', async () => {
    clock = new ManualClock();
    slow = await startHarness({ clock, tableStatusDelayMs: 5000 });
    const db = slow.dynamodb;
    const name = 'slow';
    await db.send(new CreateTableCommand(createInput(name)));
    const status = async () =>
      (await db.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus;
    expect(await status()).toBe('CREATING');
    const updateStream = new UpdateTableCommand({
      TableName: name,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    });
    await expectAwsError(
      db.send(updateStream),
      'ResourceInUseException',
      `Attempt to change a resource which is still in use: Table is being created: ${name}`,
    );
    await expectAwsError(
      db.send(new DeleteTableCommand({ TableName: name })),
      'ResourceInUseException',
      `Attempt to change a resource which is still in use: Table is being created: ${name}`,
    );
    clock.advance(5000);
    expect(await status()).toBe('ACTIVE');

    await db.send(updateStream);
    expect(await status()).toBe('UPDATING');
    await expectAwsError(
      db.send(new UpdateTableCommand({ TableName: name, TableClass: 'STANDARD_INFREQUENT_ACCESS' })),
      'ResourceInUseException',
      `Attempt to change a resource which is still in use: Table: ${name} is in the process of being updated.`,
    );
    await expectAwsError(
      db.send(new DeleteTableCommand({ TableName: name })),
      'ResourceInUseException',
      `Attempt to change a resource which is still in use: Table: ${name} is in the process of being updated.`,
    );
    // Deletion protection is admitted while the table is UPDATING.
    await db.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false }));
    clock.advance(5000);
    expect(await status()).toBe('ACTIVE');

    const deleted = await db.send(new DeleteTableCommand({ TableName: name }));
    expect(deleted.TableDescription?.TableStatus).toBe('DELETING');
    expect(await status()).toBe('DELETING');
    expect((await db.send(new ListTablesCommand({}))).TableNames).toEqual([name]);
    await expectAwsError(
      db.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' } } })),
      'ResourceNotFoundException',
      'Requested resource not found',
    );
    await expectAwsError(
      db.send(new CreateTableCommand(createInput(name))),
      'ResourceInUseException',
      `Table already exists: ${name}`,
    );
    await expectAwsError(
      db.send(updateStream),
      'ResourceInUseException',
      `Attempt to change a resource which is still in use: Table is being deleted: ${name}`,
    );
    // A second DeleteTable while the first one runs says DELETING again.
    expect((await db.send(new DeleteTableCommand({ TableName: name }))).TableDescription?.TableStatus).toBe(
      'DELETING',
    );
    clock.advance(5000);
    await expectAwsError(
      db.send(new DescribeTableCommand({ TableName: name })),
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${name} not found`,
    );
    expect((await db.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it('keeps an encryption change UPDATING with the table ACTIVE, and refuses to delete meanwhile', async () => {
    clock = new ManualClock();
    slow = await startHarness({ clock, tableStatusDelayMs: 1000 });
    const db = slow.dynamodb;
    await db.send(new CreateTableCommand(createInput('sse')));
    clock.advance(1000);
    await db.send(new UpdateTableCommand({ TableName: 'sse', SSESpecification: { Enabled: true } }));
    const table = (await db.send(new DescribeTableCommand({ TableName: 'sse' }))).Table;
    expect(table?.TableStatus).toBe('ACTIVE');
    expect(table?.SSEDescription?.Status).toBe('UPDATING');
    await expectAwsError(
      db.send(new DeleteTableCommand({ TableName: 'sse' })),
      'ResourceInUseException',
      'Attempt to change a resource which is still in use: Table: sse is in the process of being updated.',
    );
    clock.advance(1000);
    expect(
      (await db.send(new DescribeTableCommand({ TableName: 'sse' }))).Table?.SSEDescription?.Status,
    ).toBe('ENABLED');
  });
});
