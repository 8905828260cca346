import { serializationException, validationException } from '../../errors.js';
import type { Constraints } from '../../validation/Constraints.js';
import { javaHashSetOrder } from '../expressions/javaHashSetOrder.js';
import { checkKeySchemaElements, type KeySchema } from '../keySchema.js';
import { isMultiAttributeKeySchema, readCompositeKeySchema } from './compositeKeySchema.js';
import type {
  IndexProjection,
  IndexThroughput,
  ProjectionType,
  SecondaryIndexDefinition,
} from './SecondaryIndexDefinition.js';

type AttributeType = 'S' | 'N' | 'B';

/** An index as it arrives in CreateTable's LocalSecondaryIndexes / GlobalSecondaryIndexes. */
interface WireIndex {
  readonly IndexName?: unknown;
  readonly KeySchema?: readonly { AttributeName?: unknown; KeyType?: unknown }[];
  readonly Projection?: { ProjectionType?: unknown; NonKeyAttributes?: readonly unknown[] };
  readonly ProvisionedThroughput?: { ReadCapacityUnits?: unknown; WriteCapacityUnits?: unknown };
}

/** What the index rules need to know about the table being created. */
interface TableKeys {
  readonly keySchema: KeySchema;
  readonly attributeDefinitions: readonly { AttributeName: string; AttributeType: AttributeType }[];
  readonly billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
}

const MAX_LOCAL_INDEXES = 5;
const MAX_GLOBAL_INDEXES = 20;
const MAX_PROJECTED_ATTRIBUTES = 100;
const MAX_NON_KEY_ATTRIBUTES = 20;
const PROJECTION_TYPES = ['ALL', 'INCLUDE', 'KEYS_ONLY'] as const;
const KEY_TYPES = ['HASH', 'RANGE'] as const;

const invalid = (message: string) =>
  validationException(`One or more parameter values were invalid: ${message}`);

const listOf = (value: unknown, member: string): readonly WireIndex[] | undefined => {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    throw serializationException(`Unexpected value type in ${member}: expected a list`);
  return value as WireIndex[];
};

/**
 * The front-end constraints of CreateTable's index lists, added to the request's other constraint failures so
 * that DynamoDB's one "N validation errors detected" message lists them all.
 */
const indexConstraints = (constraints: Constraints, input: Record<string, unknown>): void => {
  for (const [member, raw] of [
    ['localSecondaryIndexes', input.LocalSecondaryIndexes],
    ['globalSecondaryIndexes', input.GlobalSecondaryIndexes],
  ] as const) {
    const indexes = listOf(raw, member) ?? [];
    indexes.forEach((index, i) => {
      const at = `${member}.${i + 1}.member`;
      constraints.tableName(`${at}.indexName`, index?.IndexName);
      const keySchema = index?.KeySchema;
      constraints.notNull(`${at}.keySchema`, keySchema);
      if (Array.isArray(keySchema)) {
        // A global index's KeySchema has no upper bound on the wire since multi-attribute keys (up to four
        // partition and four sort key attributes, checked with the table):
        // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateGlobalSecondaryIndexAction.html
        const max = member === 'globalSecondaryIndexes' ? Number.POSITIVE_INFINITY : 2;
        if (keySchema.length < 1 || keySchema.length > max) {
          constraints.fail(
            `${at}.keySchema`,
            JSON.stringify(keySchema),
            keySchema.length < 1
              ? 'Member must have length greater than or equal to 1'
              : 'Member must have length less than or equal to 2',
          );
        }
        keySchema.forEach((element, k) => {
          constraints.notNull(`${at}.keySchema.${k + 1}.member.attributeName`, element?.AttributeName);
          constraints.notNull(`${at}.keySchema.${k + 1}.member.keyType`, element?.KeyType);
          constraints.oneOf(
            `${at}.keySchema.${k + 1}.member.keyType`,
            element?.KeyType ?? undefined,
            KEY_TYPES,
          );
        });
      }
      const projection = index?.Projection;
      constraints.notNull(`${at}.projection`, projection);
      constraints.oneOf(
        `${at}.projection.projectionType`,
        projection?.ProjectionType ?? undefined,
        PROJECTION_TYPES,
      );
      const nonKey = projection?.NonKeyAttributes;
      if (Array.isArray(nonKey) && (nonKey.length < 1 || nonKey.length > MAX_NON_KEY_ATTRIBUTES)) {
        constraints.fail(
          `${at}.projection.nonKeyAttributes`,
          `[${nonKey.join(', ')}]`,
          nonKey.length < 1
            ? 'Member must have length greater than or equal to 1'
            : `Member must have length less than or equal to ${MAX_NON_KEY_ATTRIBUTES}`,
        );
      }
      const throughput = index?.ProvisionedThroughput;
      if (member === 'globalSecondaryIndexes' && throughput !== undefined && throughput !== null) {
        for (const [name, value] of [
          ['readCapacityUnits', throughput.ReadCapacityUnits],
          ['writeCapacityUnits', throughput.WriteCapacityUnits],
        ] as const) {
          constraints.notNull(`${at}.provisionedThroughput.${name}`, value);
          constraints.range(`${at}.provisionedThroughput.${name}`, value, 1, Number.POSITIVE_INFINITY);
        }
      }
    });
  }
};

const keyNames = (index: WireIndex): string[] =>
  (index.KeySchema ?? []).map((element) => String(element.AttributeName));

/**
 * Checks CreateTable's LocalSecondaryIndexes and GlobalSecondaryIndexes with DynamoDB's messages, in
 * DynamoDB's order (as dynalite and probes of AWS recorded it): index key attributes defined, no attribute
 * defined but unused, then the local indexes' rules, then the global ones'. Call it after the table's own
 * KeySchema has been checked and `indexConstraints` has passed. Returns the checked definitions.
 */
const readIndexDefinitions = (
  input: Record<string, unknown>,
  table: TableKeys,
): SecondaryIndexDefinition[] => {
  const locals = listOf(input.LocalSecondaryIndexes, 'localSecondaryIndexes');
  const globals = listOf(input.GlobalSecondaryIndexes, 'globalSecondaryIndexes');
  if (locals === undefined && globals === undefined) return [];

  const definedNames = table.attributeDefinitions.map((d) => d.AttributeName);
  // Defined, not assigned: an attribute named `__proto__` is a key like any other, not the map's prototype.
  const types: Record<string, AttributeType> = Object.fromEntries(
    table.attributeDefinitions.map((definition) => [definition.AttributeName, definition.AttributeType]),
  );
  const all = [...(locals ?? []), ...(globals ?? [])];
  for (const index of all) {
    const keys = keyNames(index);
    if (keys.some((key) => !Object.hasOwn(types, key))) {
      throw invalid(
        `Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${definedNames.join(', ')}]`,
      );
    }
  }
  const used = new Set<string>([table.keySchema.hashKey]);
  if (table.keySchema.rangeKey !== undefined) used.add(table.keySchema.rangeKey);
  for (const index of all) for (const key of keyNames(index)) used.add(key);
  if (definedNames.some((name) => !used.has(name))) {
    throw invalid(
      `Some AttributeDefinitions are not used. AttributeDefinitions: [${definedNames.join(', ')}], keys used: [${javaHashSetOrder([...used]).join(', ')}]`,
    );
  }

  const names = new Set<string>();
  const definitions: SecondaryIndexDefinition[] = [];
  if (locals !== undefined) {
    if (locals.length === 0) throw invalid('List of LocalSecondaryIndexes is empty');
    if (table.keySchema.rangeKey === undefined) {
      throw invalid(
        'Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
      );
    }
    for (const index of locals) definitions.push(readIndex(index, false, table, types, names));
    if (locals.length > MAX_LOCAL_INDEXES) {
      throw invalid(`Number of LocalSecondaryIndexes exceeds per-table limit of ${MAX_LOCAL_INDEXES}`);
    }
  }
  if (globals !== undefined) {
    if (globals.length === 0) throw invalid('List of GlobalSecondaryIndexes is empty');
    for (const index of globals) definitions.push(readIndex(index, true, table, types, names));
    if (globals.length > MAX_GLOBAL_INDEXES) {
      throw invalid(`GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GLOBAL_INDEXES}`);
    }
  }
  const projectedCount = definitions.reduce(
    (sum, definition) => sum + (definition.projection.NonKeyAttributes?.length ?? 0),
    0,
  );
  if (projectedCount > MAX_PROJECTED_ATTRIBUTES) {
    throw invalid(
      `Number of projected attributes in all indexes exceeds limit of ${MAX_PROJECTED_ATTRIBUTES}`,
    );
  }
  return definitions;
};

const readIndex = (
  index: WireIndex,
  global: boolean,
  table: TableKeys,
  types: Readonly<Record<string, AttributeType>>,
  names: Set<string>,
): SecondaryIndexDefinition => {
  const name = index.IndexName as string;
  const wireKeySchema = (index.KeySchema ?? []) as SecondaryIndexDefinition['wireKeySchema'];
  const [hash, range] = wireKeySchema;
  if (hash === undefined) throw invalid(`Index KeySchema is empty for index: ${name}`);
  if (global && isMultiAttributeKeySchema(wireKeySchema)) {
    return readCompositeIndex(index, name, wireKeySchema, table, types, names);
  }
  checkKeySchemaElements(hash, range);
  if (!global) {
    if (range === undefined) throw invalid(`Index KeySchema does not have a range key for index: ${name}`);
    if (hash.AttributeName !== table.keySchema.hashKey) {
      throw invalid(
        `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${name}. index hash key: ${hash.AttributeName}, table hash key: ${table.keySchema.hashKey}`,
      );
    }
  }
  const projection = readProjection(index.Projection ?? {});
  if (global) checkGlobalThroughput(index, name, table);
  if (names.has(name)) throw invalid(`Duplicate index name: ${name}`);
  names.add(name);

  const keySchema: KeySchema = {
    hashKey: hash.AttributeName,
    ...(range === undefined ? {} : { rangeKey: range.AttributeName }),
    types: Object.fromEntries(
      (range === undefined ? [hash] : [hash, range]).map((e) => [e.AttributeName, types[e.AttributeName]]),
    ) as Record<string, AttributeType>,
  };
  return {
    name,
    global,
    keySchema,
    wireKeySchema: (range === undefined ? [hash] : [hash, range]).map((e) => ({
      AttributeName: e.AttributeName,
      KeyType: e.KeyType,
    })),
    projection,
    ...(global ? throughputOf(index) : {}),
  };
};

const checkGlobalThroughput = (index: WireIndex, name: string, table: TableKeys): void => {
  const throughput = index.ProvisionedThroughput;
  if (table.billingMode === 'PAY_PER_REQUEST' && throughput !== undefined && throughput !== null) {
    throw invalid(
      `ProvisionedThroughput should not be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`,
    );
  }
  if (table.billingMode === 'PROVISIONED' && (throughput === undefined || throughput === null)) {
    throw invalid(`ProvisionedThroughput is not specified for index: ${name}`);
  }
};

const throughputOf = (index: WireIndex): { provisionedThroughput?: IndexThroughput } => {
  const throughput = index.ProvisionedThroughput as IndexThroughput | undefined | null;
  return throughput === undefined || throughput === null
    ? {}
    : {
        provisionedThroughput: {
          ReadCapacityUnits: throughput.ReadCapacityUnits,
          WriteCapacityUnits: throughput.WriteCapacityUnits,
        },
      };
};

/**
 * A global index with a multi-attribute key: its KeySchema's own rules first (`readCompositeKeySchema`), then
 * the rules every global index follows. Its KeySchema names the first partition and sort key attributes as
 * `hashKey` and `rangeKey` and lists them all in `composite`.
 */
const readCompositeIndex = (
  index: WireIndex,
  name: string,
  wireKeySchema: SecondaryIndexDefinition['wireKeySchema'],
  table: TableKeys,
  types: Readonly<Record<string, AttributeType>>,
  names: Set<string>,
): SecondaryIndexDefinition => {
  const composite = readCompositeKeySchema(wireKeySchema);
  const projection = readProjection(index.Projection ?? {});
  checkGlobalThroughput(index, name, table);
  if (names.has(name)) throw invalid(`Duplicate index name: ${name}`);
  names.add(name);
  const [hashKey] = composite.hashKeys as [string];
  const [rangeKey] = composite.rangeKeys;
  const keySchema: KeySchema = {
    hashKey,
    ...(rangeKey === undefined ? {} : { rangeKey }),
    types: Object.fromEntries(wireKeySchema.map((e) => [e.AttributeName, types[e.AttributeName]])) as Record<
      string,
      AttributeType
    >,
    composite,
  };
  return {
    name,
    global: true,
    keySchema,
    wireKeySchema: wireKeySchema.map((e) => ({ AttributeName: e.AttributeName, KeyType: e.KeyType })),
    projection,
    ...throughputOf(index),
  };
};

const readProjection = (projection: NonNullable<WireIndex['Projection']>): IndexProjection => {
  const type = projection.ProjectionType as ProjectionType | undefined | null;
  if (type === undefined || type === null) throw invalid('Unknown ProjectionType: null');
  const nonKey = projection.NonKeyAttributes as readonly string[] | undefined | null;
  if (nonKey !== undefined && nonKey !== null && type !== 'INCLUDE') {
    throw invalid(`ProjectionType is ${type}, but NonKeyAttributes is specified`);
  }
  if (type !== 'INCLUDE') return { ProjectionType: type };
  if (nonKey === undefined || nonKey === null) {
    throw invalid('ProjectionType is INCLUDE, but NonKeyAttributes is not specified');
  }
  const seen = new Set<string>();
  for (const name of nonKey) {
    if (seen.has(name)) throw invalid(`Duplicate element in NonKeyAttributes: ${name}`);
    seen.add(name);
  }
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...nonKey] };
};

/**
 * One global index of UpdateTable's Create action, checked with the rules CreateTable applies to each global
 * index (key schema, projection, throughput for the billing mode). Whether the name is taken, and the
 * AttributeDefinitions that action brings, are UpdateTable's to check; `table.attributeDefinitions` must
 * already declare the index key attributes.
 */
const readGlobalIndexDefinition = (index: unknown, table: TableKeys): SecondaryIndexDefinition => {
  // Defined, not assigned: an attribute named `__proto__` is a key like any other, not the map's prototype.
  const types: Record<string, AttributeType> = Object.fromEntries(
    table.attributeDefinitions.map((definition) => [definition.AttributeName, definition.AttributeType]),
  );
  const keys = keyNames(index as WireIndex);
  if (keys.some((key) => !Object.hasOwn(types, key))) {
    throw invalid(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${table.attributeDefinitions.map((d) => d.AttributeName).join(', ')}]`,
    );
  }
  return readIndex(index as WireIndex, true, table, types, new Set());
};

export type { TableKeys, WireIndex };
export { indexConstraints, readGlobalIndexDefinition, readIndexDefinitions };
