import { AwsServiceError, resourceNotFoundException, validationException } from '../../errors.js';
import type { Constraints } from '../../validation/Constraints.js';
import { readIndexDefinitions } from '../indexes/readIndexDefinitions.js';
import type { IndexThroughput, SecondaryIndexDefinition } from '../indexes/SecondaryIndexDefinition.js';
import type { Table } from '../Table.js';
import type { BillingMode, TableState } from './TableState.js';
import { checkThroughputBounds, checkThroughputShape, describeList } from './tableShapes.js';

interface WireThroughput {
  readonly ReadCapacityUnits: number;
  readonly WriteCapacityUnits: number;
}

/** One GlobalSecondaryIndexUpdates member once checked: exactly one action. */
type IndexUpdate =
  | { readonly action: 'Create'; readonly name: string; readonly wire: Record<string, unknown> }
  | { readonly action: 'Update'; readonly name: string; readonly throughput?: WireThroughput }
  | { readonly action: 'Delete'; readonly name: string };

type WireUpdate = {
  Create?: Record<string, unknown>;
  Update?: Record<string, unknown>;
  Delete?: Record<string, unknown>;
};

const invalid = (detail: string) =>
  validationException(`One or more parameter values were invalid: ${detail}`);

const limitExceeded = (message: string) => new AwsServiceError('LimitExceededException', message);

/** The generic validator's constraints on GlobalSecondaryIndexUpdates, added to the request's others. */
const checkIndexUpdatesShape = (constraints: Constraints, updates: readonly unknown[]): void => {
  updates.forEach((raw, i) => {
    const at = `globalSecondaryIndexUpdates.${i + 1}.member`;
    const update = (raw ?? {}) as WireUpdate;
    if (update.Update !== undefined && update.Update !== null) {
      constraints.tableName(`${at}.update.indexName`, update.Update.IndexName);
      checkThroughputShape(
        constraints,
        `${at}.update.provisionedThroughput`,
        update.Update.ProvisionedThroughput,
      );
    }
    if (update.Create !== undefined && update.Create !== null) {
      indexConstraintsAt(constraints, `${at}.create`, update.Create);
    }
    if (update.Delete !== undefined && update.Delete !== null) {
      constraints.tableName(`${at}.delete.indexName`, update.Delete.IndexName);
    }
  });
};

/** A Create action's constraints, named as DynamoDB names them (`globalSecondaryIndexUpdates.N.member.create.*`). */
const indexConstraintsAt = (constraints: Constraints, at: string, create: Record<string, unknown>): void => {
  constraints.tableName(`${at}.indexName`, create.IndexName);
  const keySchema = create.KeySchema;
  constraints.notNull(`${at}.keySchema`, keySchema);
  if (Array.isArray(keySchema)) {
    // No upper bound since multi-attribute keys (up to four partition and four sort key attributes, checked
    // with the table): https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateGlobalSecondaryIndexAction.html
    if (keySchema.length < 1) {
      constraints.fail(
        `${at}.keySchema`,
        describeList(keySchema),
        'Member must have length greater than or equal to 1',
      );
    }
    keySchema.forEach((element: { AttributeName?: unknown; KeyType?: unknown } | null, k) => {
      constraints.notNull(`${at}.keySchema.${k + 1}.member.attributeName`, element?.AttributeName);
      constraints.notNull(`${at}.keySchema.${k + 1}.member.keyType`, element?.KeyType);
    });
  }
  const projection = create.Projection as
    | { ProjectionType?: unknown; NonKeyAttributes?: unknown }
    | undefined;
  constraints.notNull(`${at}.projection`, projection);
  constraints.oneOf(`${at}.projection.projectionType`, projection?.ProjectionType ?? undefined, [
    'ALL',
    'INCLUDE',
    'KEYS_ONLY',
  ]);
  const nonKey = projection?.NonKeyAttributes;
  if (Array.isArray(nonKey) && nonKey.length < 1) {
    constraints.fail(
      `${at}.projection.nonKeyAttributes`,
      '[]',
      'Member must have length greater than or equal to 1',
    );
  }
  checkThroughputShape(constraints, `${at}.provisionedThroughput`, create.ProvisionedThroughput);
};

/**
 * The request-level rules of GlobalSecondaryIndexUpdates (no table needed): one action per member, one update
 * per index. Returns the actions in request order.
 */
const readIndexUpdates = (updates: readonly unknown[]): IndexUpdate[] => {
  const names = new Set<string>();
  return updates.map((raw) => {
    const update = (raw ?? {}) as WireUpdate;
    const actions = (['Update', 'Create', 'Delete'] as const).filter(
      (action) => update[action] !== undefined && update[action] !== null,
    );
    if (actions.length === 0) {
      throw invalid(
        'One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null',
      );
    }
    if (actions.length > 1) {
      throw invalid(
        'Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object',
      );
    }
    const action = actions[0] as 'Update' | 'Create' | 'Delete';
    const body = update[action] as Record<string, unknown>;
    const name = body.IndexName as string;
    if (names.has(name)) {
      throw invalid(
        `Only one global secondary index update per index is allowed simultaneously. Index: ${name}`,
      );
    }
    names.add(name);
    if (action === 'Update') {
      const throughput = body.ProvisionedThroughput as WireThroughput | undefined | null;
      if (throughput !== undefined && throughput !== null) checkThroughputBounds(throughput);
      return { action, name, ...(throughput === undefined || throughput === null ? {} : { throughput }) };
    }
    return action === 'Create' ? { action, name, wire: body } : { action, name };
  });
};

/** What applying the checked actions needs: new index definitions, and the attribute definitions they add. */
interface PlannedIndexUpdates {
  readonly creates: readonly SecondaryIndexDefinition[];
  readonly addedAttributeDefinitions: readonly { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
}

/**
 * Checks the actions against the table, in request order, before anything changes: an index to update or
 * delete must be one of the table's global indexes, an index to create must be new and well formed (with its
 * key attributes defined, in this request or already on the table), throughput must suit the billing mode the
 * table will have.
 */
const planIndexUpdates = (
  table: Table,
  state: TableState,
  updates: readonly IndexUpdate[],
  billingMode: BillingMode,
  requestDefinitions: readonly { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[] | undefined,
  currentDefinitions: readonly { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[],
): PlannedIndexUpdates => {
  const onlineChanges = updates.filter((u) => u.action !== 'Update').length;
  if (onlineChanges > 1) {
    throw limitExceeded(
      'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
    );
  }
  const creates: SecondaryIndexDefinition[] = [];
  const added: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[] = [];
  for (const update of updates) {
    const index = table.indexes.get(update.name);
    if (update.action === 'Create') {
      if (index !== undefined)
        throw validationException('Attempting to create an index which already exists');
      const globals = [...table.indexes.values()].filter((i) => i.global).length;
      if (globals >= 20) {
        throw limitExceeded(
          'Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of 20',
        );
      }
      const known = new Map(currentDefinitions.map((d) => [d.AttributeName, d]));
      for (const definition of requestDefinitions ?? []) known.set(definition.AttributeName, definition);
      const keys = ((update.wire.KeySchema ?? []) as { AttributeName: string }[]).map((k) => k.AttributeName);
      if (requestDefinitions === undefined && keys.some((key) => !known.has(key))) {
        throw invalid(`AttributeDefinitions is not specified for index: ${update.name}`);
      }
      // Only the definitions this index and the table's keys use take part, so the "not used" rule holds.
      const used = new Set([
        table.definition.keySchema.hashKey,
        table.definition.keySchema.rangeKey,
        ...keys,
      ]);
      const [definition] = readIndexDefinitions(
        { GlobalSecondaryIndexes: [update.wire] },
        {
          keySchema: table.definition.keySchema,
          attributeDefinitions: [...known.values()].filter((d) => used.has(d.AttributeName)),
          billingMode,
        },
      );
      if (definition !== undefined) creates.push(definition);
      for (const key of keys) {
        const definition_ = known.get(key);
        if (definition_ !== undefined && !currentDefinitions.some((d) => d.AttributeName === key)) {
          added.push(definition_);
        }
      }
      continue;
    }
    if (index === undefined) {
      throw resourceNotFoundException(
        `Requested resource not found: Index ${update.name} for table ${table.name}`,
      );
    }
    if (!index.global) {
      throw validationException(
        `Cannot ${update.action === 'Delete' ? 'delete' : 'update'} an index that is not a GlobalSecondaryIndex: ${update.name}`,
      );
    }
    if (update.action === 'Update') {
      if (billingMode === 'PAY_PER_REQUEST') {
        if (update.throughput !== undefined) {
          throw invalid(
            `Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${update.name} when BillingMode is PAY_PER_REQUEST`,
          );
        }
        throw invalid(
          `The only Updates for index: ${update.name} when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`,
        );
      }
      if (update.throughput === undefined) {
        throw invalid(`ProvisionedThroughput must be specified for index: ${update.name}`);
      }
      const current = index.provisionedThroughput;
      if (
        state.billingMode === 'PROVISIONED' &&
        current !== undefined &&
        current.ReadCapacityUnits === update.throughput.ReadCapacityUnits &&
        current.WriteCapacityUnits === update.throughput.WriteCapacityUnits
      ) {
        throw validationException(
          `The provisioned throughput for the index ${update.name} will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the index: ${current.ReadCapacityUnits}. Requested ReadCapacityUnits: ${update.throughput.ReadCapacityUnits}. Current WriteCapacityUnits provisioned for the index: ${current.WriteCapacityUnits}. Requested WriteCapacityUnits: ${update.throughput.WriteCapacityUnits}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
        );
      }
    }
  }
  // Switching to PROVISIONED gives every remaining global index a throughput, in this same request.
  if (billingMode === 'PROVISIONED' && state.billingMode === 'PAY_PER_REQUEST') {
    for (const index of table.indexes.values()) {
      if (!index.global) continue;
      const update = updates.find((u) => u.name === index.name);
      if (update?.action === 'Delete') continue;
      if (update?.action !== 'Update' || update.throughput === undefined) {
        throw invalid(`ProvisionedThroughput must be specified for index: ${index.name}`);
      }
    }
  }
  return { creates, addedAttributeDefinitions: added };
};

/** Applies checked actions: creates build from the table's items, deletes drop the index, updates set throughput. */
const applyIndexUpdates = (
  table: Table,
  updates: readonly IndexUpdate[],
  plan: PlannedIndexUpdates,
  state: TableState,
): void => {
  for (const update of updates) {
    if (update.action === 'Delete') table.removeGlobalIndex(update.name);
    if (update.action === 'Update' && update.throughput !== undefined) {
      const throughput: IndexThroughput = {
        ReadCapacityUnits: update.throughput.ReadCapacityUnits,
        WriteCapacityUnits: update.throughput.WriteCapacityUnits,
      };
      table.updateGlobalIndexThroughput(update.name, throughput);
    }
  }
  for (const definition of plan.creates) table.addGlobalIndex(definition);
  state.addedAttributeDefinitions.push(...plan.addedAttributeDefinitions);
};

export type { IndexUpdate, PlannedIndexUpdates };
export { applyIndexUpdates, checkIndexUpdatesShape, planIndexUpdates, readIndexUpdates };
