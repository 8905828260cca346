import { STREAM_VIEW_TYPES, type StreamViewType } from '../../../../src/records/streamRecord.js';
import { resourceInUseException, validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { enableStream } from '../../streams/enableStream.js';
import { Constraints } from '../../validation/Constraints.js';
import type { KeySchema } from '../keySchema.js';
import { Table, type TableDefinition } from '../Table.js';
import { tableDescription } from '../tableDescription.js';

type WireKeySchema = TableDefinition['wireKeySchema'];
type WireAttributeDefinitions = TableDefinition['attributeDefinitions'];

const createTable: Operation = (input, context) => {
  const constraints = new Constraints();
  constraints.tableName('tableName', input.TableName);
  constraints.notNull('keySchema', input.KeySchema);
  constraints.notNull('attributeDefinitions', input.AttributeDefinitions);
  constraints.oneOf('billingMode', input.BillingMode, ['PROVISIONED', 'PAY_PER_REQUEST']);
  constraints.check();

  const name = input.TableName as string;
  const wireKeySchema = input.KeySchema as WireKeySchema;
  const attributeDefinitions = input.AttributeDefinitions as WireAttributeDefinitions;
  const keySchema = readKeySchema(wireKeySchema, attributeDefinitions);
  const billingMode = (input.BillingMode as TableDefinition['billingMode'] | undefined) ?? 'PROVISIONED';
  const provisionedThroughput = input.ProvisionedThroughput as TableDefinition['provisionedThroughput'];
  if (billingMode === 'PROVISIONED' && provisionedThroughput === undefined) {
    throw validationException(
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
  }
  if (billingMode === 'PAY_PER_REQUEST' && provisionedThroughput !== undefined) {
    throw validationException(
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
  }
  const streamSpecification = input.StreamSpecification as
    | { StreamEnabled?: boolean; StreamViewType?: StreamViewType }
    | undefined;
  if (
    streamSpecification?.StreamEnabled === true &&
    !STREAM_VIEW_TYPES.includes(streamSpecification.StreamViewType as StreamViewType)
  ) {
    throw validationException(
      'One or more parameter values were invalid: Must specify a StreamViewType when StreamEnabled is true',
    );
  }

  const { region } = context;
  if (region.tables.has(name)) throw resourceInUseException(`Table already exists: ${name}`);
  const table = new Table({
    name,
    region: region.name,
    accountId: region.accountId,
    keySchema,
    wireKeySchema,
    attributeDefinitions,
    billingMode,
    ...(provisionedThroughput === undefined ? {} : { provisionedThroughput }),
    createdAt: context.clock.now(),
  });
  region.tables.set(name, table);
  if (streamSpecification?.StreamEnabled === true) {
    enableStream(table, streamSpecification.StreamViewType as StreamViewType, context);
  }
  // Tables are usable at once; AWS says CREATING in this response and ACTIVE soon after.
  return { TableDescription: tableDescription(table, region, 'CREATING') };
};

/** Checks KeySchema against AttributeDefinitions with DynamoDB's messages and returns the typed key. */
const readKeySchema = (wireKeySchema: WireKeySchema, definitions: WireAttributeDefinitions): KeySchema => {
  if (!Array.isArray(wireKeySchema) || wireKeySchema.length < 1 || wireKeySchema.length > 2) {
    throw validationException(
      `1 validation error detected: Value '${JSON.stringify(wireKeySchema)}' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2`,
    );
  }
  const [hash, range] = wireKeySchema;
  if (hash?.KeyType !== 'HASH' || (range !== undefined && range.KeyType !== 'RANGE')) {
    throw validationException('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  }
  const types: Record<string, 'S' | 'N' | 'B'> = {};
  for (const definition of definitions) {
    if (!['S', 'N', 'B'].includes(definition.AttributeType)) {
      throw validationException(
        `1 validation error detected: Value '${definition.AttributeType}' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]`,
      );
    }
    types[definition.AttributeName] = definition.AttributeType;
  }
  for (const element of wireKeySchema) {
    if (!Object.hasOwn(types, element.AttributeName)) {
      throw validationException(
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [' +
          `${element.AttributeName}], AttributeDefinitions: [${definitions.map((d) => d.AttributeName).join(', ')}]`,
      );
    }
  }
  if (definitions.length !== wireKeySchema.length) {
    throw validationException(
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  }
  return {
    hashKey: hash.AttributeName,
    ...(range === undefined ? {} : { rangeKey: range.AttributeName }),
    types,
  };
};

export { createTable };
