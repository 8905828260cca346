import type { StreamViewType } from '../../../../src/records/streamRecord.js';
import { resourceInUseException, validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { checkKeyAttributeNames } from '../controlPlane/checkKeyAttributeNames.js';
import { findTable } from '../controlPlane/lookupTable.js';
import { checkSseShape, readSseSpecification } from '../controlPlane/sseSpecification.js';
import { TableState } from '../controlPlane/TableState.js';
import {
  checkStreamShape,
  checkTableClass,
  checkThroughputBounds,
  checkThroughputShape,
  describeList,
  listMember,
} from '../controlPlane/tableShapes.js';
import { checkTags, mergeTags } from '../controlPlane/tagRules.js';
import { indexConstraints, readIndexDefinitions } from '../indexes/readIndexDefinitions.js';
import { checkKeySchemaElements, type KeySchema } from '../keySchema.js';
import { Table, type TableDefinition } from '../Table.js';
import { tableDescription } from '../tableDescription.js';

type WireKeySchema = TableDefinition['wireKeySchema'];
type WireAttributeDefinitions = TableDefinition['attributeDefinitions'];

const invalid = (detail: string) =>
  validationException(`One or more parameter values were invalid: ${detail}`);

/**
 * Creates a table, checking the request in DynamoDB's order: the generic validator's constraints (all of them
 * in one message), then billing and throughput, key schema against attribute definitions, stream, encryption,
 * table class and tags, and only then whether the name is taken. The response says CREATING; the table turns
 * ACTIVE after EmulatorOptions.tableStatusDelayMs (at once by default).
 */
const createTable: Operation = (input, context) => {
  const attributeDefinitions = listMember(input.AttributeDefinitions);
  const wireKeySchema = listMember(input.KeySchema);
  const constraints = new Constraints();
  constraints.notNull('attributeDefinitions', input.AttributeDefinitions);
  attributeDefinitions?.forEach((definition, i) => {
    const { AttributeName, AttributeType } = (definition ?? {}) as Record<string, unknown>;
    const at = `attributeDefinitions.${i + 1}.member`;
    constraints.notNull(`${at}.attributeName`, AttributeName);
    constraints.notNull(`${at}.attributeType`, AttributeType);
    constraints.oneOf(`${at}.attributeType`, AttributeType ?? undefined, ['B', 'N', 'S']);
  });
  constraints.tableName('tableName', input.TableName);
  constraints.oneOf('billingMode', input.BillingMode, ['PROVISIONED', 'PAY_PER_REQUEST']);
  checkThroughputShape(constraints, 'provisionedThroughput', input.ProvisionedThroughput);
  constraints.notNull('keySchema', input.KeySchema);
  if (wireKeySchema !== undefined) {
    if (wireKeySchema.length < 1 || wireKeySchema.length > 2) {
      constraints.fail(
        'keySchema',
        describeList(wireKeySchema),
        wireKeySchema.length < 1
          ? 'Member must have length greater than or equal to 1'
          : 'Member must have length less than or equal to 2',
      );
    }
    wireKeySchema.forEach((element, i) => {
      const { AttributeName, KeyType } = (element ?? {}) as Record<string, unknown>;
      const at = `keySchema.${i + 1}.member`;
      constraints.notNull(`${at}.attributeName`, AttributeName);
      constraints.notNull(`${at}.keyType`, KeyType);
      constraints.oneOf(`${at}.keyType`, KeyType ?? undefined, ['HASH', 'RANGE']);
    });
  }
  indexConstraints(constraints, input);
  checkStreamShape(constraints, input.StreamSpecification);
  checkSseShape(constraints, input.SSESpecification);
  constraints.check();
  checkKeyAttributeNames(input);

  const name = input.TableName as string;
  const billingMode = (input.BillingMode as TableDefinition['billingMode'] | undefined) ?? 'PROVISIONED';
  const provisionedThroughput = input.ProvisionedThroughput as
    | TableDefinition['provisionedThroughput']
    | null;
  if (billingMode === 'PAY_PER_REQUEST') {
    if (provisionedThroughput !== undefined && provisionedThroughput !== null) {
      throw invalid(
        'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
    }
  } else {
    if (!provisionedThroughput?.ReadCapacityUnits || !provisionedThroughput.WriteCapacityUnits) {
      throw invalid(
        'ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
      );
    }
    checkThroughputBounds(provisionedThroughput);
  }
  const keySchema = readKeySchema(
    wireKeySchema as WireKeySchema,
    attributeDefinitions as WireAttributeDefinitions,
    input.LocalSecondaryIndexes === undefined && input.GlobalSecondaryIndexes === undefined,
  );
  const indexes = readIndexDefinitions(input, {
    keySchema,
    attributeDefinitions: attributeDefinitions as WireAttributeDefinitions,
    billingMode,
  });
  const stream = readStreamSpecification(input.StreamSpecification);
  const { region } = context;
  const sse = readSseSpecification(input.SSESpecification, region);
  const tableClass = checkTableClass(input.TableClass);
  const tags = mergeTags(new Map(), checkTags(listMember(input.Tags) ?? []));

  if (findTable(region, name, context) !== undefined)
    throw resourceInUseException(`Table already exists: ${name}`);
  const createdAt = context.clock.now();
  const table = new Table({
    name,
    region: region.name,
    accountId: region.accountId,
    keySchema,
    wireKeySchema: wireKeySchema as WireKeySchema,
    attributeDefinitions: attributeDefinitions as WireAttributeDefinitions,
    billingMode,
    ...(provisionedThroughput === undefined || provisionedThroughput === null
      ? {}
      : { provisionedThroughput }),
    createdAt,
    ...(indexes.length === 0 ? {} : { indexes }),
  });
  const state = new TableState({
    createdAt,
    billingMode,
    ...(provisionedThroughput === undefined || provisionedThroughput === null
      ? {}
      : {
          capacity: {
            read: provisionedThroughput.ReadCapacityUnits,
            write: provisionedThroughput.WriteCapacityUnits,
          },
        }),
    ...(sse?.kmsMasterKeyArn === undefined ? {} : { kmsMasterKeyArn: sse.kmsMasterKeyArn }),
    ...(tableClass === undefined ? {} : { tableClass }),
    deletionProtectionEnabled: input.DeletionProtectionEnabled === true,
  });
  for (const [key, value] of tags) state.tags.set(key, value);
  region.tables.set(name, table);
  region.tableStates.set(table, state);
  if (stream !== undefined) context.tableStreams.enable(table, stream, context);
  // AWS answers CREATING even for a table that is usable at once.
  return {
    TableDescription: tableDescription(table, region, { status: 'CREATING', view: 'create', now: createdAt }),
  };
};

/**
 * Checks KeySchema against AttributeDefinitions with DynamoDB's messages, in DynamoDB's order, and returns the
 * typed key. `exactDefinitions`: without indexes every attribute definition must be a table key attribute.
 */
const readKeySchema = (
  wireKeySchema: WireKeySchema,
  definitions: WireAttributeDefinitions,
  exactDefinitions: boolean,
): KeySchema => {
  const defined = definitions.map((d) => d.AttributeName);
  const keys = wireKeySchema.map((k) => k.AttributeName);
  const duplicate = defined.find((attribute, i) => defined.indexOf(attribute) !== i);
  if (duplicate !== undefined) throw validationException(`Attribute Name is duplicated: ${duplicate}`);
  if (keys.length > defined.length) {
    throw validationException('Invalid KeySchema: Some index key attribute have no definition');
  }
  if (keys.some((key) => !defined.includes(key))) {
    throw invalid(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`,
    );
  }
  const [hash, range] = wireKeySchema as [WireKeySchema[number], WireKeySchema[number] | undefined];
  checkKeySchemaElements(hash, range);
  if (exactDefinitions && keys.length !== defined.length) {
    throw invalid(
      'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  }
  // Defined, not assigned: an attribute named `__proto__` is a key like any other, not the map's prototype.
  const types: Record<string, 'S' | 'N' | 'B'> = Object.fromEntries(
    definitions.map((definition) => [definition.AttributeName, definition.AttributeType]),
  );
  return {
    hashKey: hash.AttributeName,
    ...(range === undefined ? {} : { rangeKey: range.AttributeName }),
    types,
  };
};

/**
 * The stream a new table starts with: the view type when enabled, undefined when not. CreateTable words its
 * rules differently from UpdateTable ("Table is being created with a stream ...").
 */
const readStreamSpecification = (value: unknown): StreamViewType | undefined => {
  if (value === undefined || value === null) return undefined;
  const spec = value as { StreamEnabled: boolean; StreamViewType?: StreamViewType };
  if (spec.StreamEnabled && spec.StreamViewType === undefined) {
    throw invalid('Table is being created with a stream enabled, UpdateViewType is required');
  }
  if (!spec.StreamEnabled && spec.StreamViewType !== undefined) {
    throw invalid('Table is being created with a stream disabled, UpdateViewType should not be specified');
  }
  return spec.StreamEnabled ? spec.StreamViewType : undefined;
};

export { createTable };
