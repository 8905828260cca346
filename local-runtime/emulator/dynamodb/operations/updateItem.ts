import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { MAX_ITEM_BYTES } from '../attributes/checkItemSize.js';
import { checkNesting } from '../attributes/checkNesting.js';
import { validateItem } from '../attributes/validateItem.js';
import { executeWrite } from '../executeWrite.js';
import { applyProjection } from '../expressions/applyProjection.js';
import type { DocumentPath, Update } from '../expressions/compiled.js';
import { applyUpdate, type Condition, compileExpressions } from '../expressions/index.js';
import { itemWriteRequest, type ReturnValues } from '../itemWriteRequest.js';
import { validateKey } from '../keySchema.js';
import { type AttributeUpdate, applyAttributeUpdates } from '../legacy/attributeUpdates.js';
import type { PreparedWrite } from '../PreparedWrite.js';
import type { Table } from '../Table.js';

interface LegacyUpdate {
  /** The legacy Expected conditions, compiled. */
  readonly expected?: Condition | undefined;
  /** The legacy AttributeUpdates, checked. */
  readonly attributeUpdates?: readonly AttributeUpdate[] | undefined;
}

/** A prepared update, with what ReturnValues UPDATED_OLD and UPDATED_NEW report. */
type PreparedUpdate = PreparedWrite & {
  /** The top-level attributes the update writes or removes (what PartiQL's RETURNING MODIFIED_* reports). */
  readonly touched: ReadonlySet<string>;
  /** Every document path the update writes or removes, as written (what UPDATED_OLD / UPDATED_NEW project). */
  readonly paths: () => readonly DocumentPath[];
};

/**
 * Whether an update creates the item when it does not exist. An update whose actions only remove (REMOVE, and
 * DELETE from a set; the legacy DELETE action) has nothing to write on a missing item, and DynamoDB then
 * creates nothing and writes no stream record; an update with no action at all (no UpdateExpression, an empty
 * AttributeUpdates) still creates the item with its key alone. AWS does not document this; the behaviour is
 * DynamoDB's, pinned by test/integration/emulator/updateSemantics.test.ts.
 */
const createsItem = (
  update: Update | undefined,
  attributeUpdates: readonly AttributeUpdate[] | undefined,
): boolean => {
  if (update !== undefined) {
    return update.clauses.some((clause) => clause.keyword === 'SET' || clause.keyword === 'ADD');
  }
  if (attributeUpdates === undefined || attributeUpdates.length === 0) return true;
  return attributeUpdates.some(({ action }) => action !== 'DELETE');
};

/**
 * The checks and the effect of updating (or creating) one item: UpdateItem's and TransactWriteItems' Update.
 * The update is an UpdateExpression or the legacy AttributeUpdates; with neither, the item is created with its
 * key alone if it does not exist; with only removals, a missing item stays missing (see `createsItem`).
 */
const prepareUpdate = (
  table: Table,
  request: Record<string, unknown>,
  legacy: LegacyUpdate = {},
): PreparedUpdate => {
  const key = validateKey(table.definition.keySchema, validateItem(request.Key, 'Key'));
  const compiled = compileExpressions(request);
  return updateOf(
    table,
    key,
    compiled.update,
    legacy.expected ?? compiled.condition,
    legacy.attributeUpdates,
  );
};

/**
 * The update of the item at `key` (checked) by a compiled update (or the legacy AttributeUpdates) under a
 * compiled condition: what `prepareUpdate` makes of a request once its key and expressions are checked, and
 * what a PartiQL UPDATE whose checks are remembered by statement text makes of its parameters
 * (partiql/writeTemplate.ts).
 */
const updateOf = (
  table: Table,
  key: AttributeMap,
  update: Update | undefined,
  condition: Condition | undefined,
  attributeUpdates?: readonly AttributeUpdate[],
): PreparedUpdate => {
  const { keySchema } = table.definition;
  const touched = update?.topLevelAttributes ?? new Set((attributeUpdates ?? []).map(({ name }) => name));
  const keyName = [...touched].find((name) => name === keySchema.hashKey || name === keySchema.rangeKey);
  const creates = createsItem(update, attributeUpdates);
  let measured: { readonly item: AttributeMap; readonly size: number } | undefined;
  const apply = (existing: AttributeMap | undefined): AttributeMap | undefined => {
    const before = existing ?? key;
    const next =
      update !== undefined
        ? applyUpdate(update, before)
        : attributeUpdates !== undefined
          ? applyAttributeUpdates(attributeUpdates, before)
          : { ...before };
    // Removals on a missing item are still checked (a nested path is invalid there), then leave it missing.
    if (existing === undefined && !creates) return undefined;
    // Setting a nested value inside a nested path can build an item deeper than any request could send.
    checkNesting(next, false);
    const size = itemSize(next);
    if (size > MAX_ITEM_BYTES) {
      throw validationException('Item size to update has exceeded the maximum allowed size');
    }
    table.checkIndexKeys(next);
    measured = { item: next, size };
    return next;
  };
  return {
    kind: 'update',
    table,
    key,
    condition,
    ...(keyName === undefined
      ? {}
      : {
          fault: validationException(
            `One or more parameter values were invalid: Cannot update attribute ${keyName}. This attribute is part of the key`,
          ),
        }),
    apply,
    measuredSize: (next) => (measured?.item === next ? measured.size : undefined),
    touched,
    paths: () =>
      update !== undefined
        ? update.clauses.flatMap((clause) => clause.actions.map((action) => action.path))
        : [...touched].map((name) => [name]),
  };
};

/**
 * Updates (or creates) one item with an UpdateExpression or the legacy AttributeUpdates. An update that leaves
 * the item as it was is a no-op for the stream: DynamoDB writes no record for it.
 */
const updateItem: Operation = (input, context) => {
  const { table, returnValues, expected, attributeUpdates } = itemWriteRequest(context, input, 'UpdateItem');
  const write = prepareUpdate(table, input, { expected, attributeUpdates });
  if (write.fault !== undefined) throw write.fault;
  const { existing, next, report } = executeWrite(write, input);
  return { ...returnedAttributes(returnValues, existing, next, write.paths), ...report };
};

/**
 * ReturnValues for UpdateItem: the whole item before or after, or only what the update's paths reach in it,
 * nested as in the item: `SET a.b.c = :v` returns `{a: {b: {c}}}`, not all of `a`
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#DDB-UpdateItem-request-ReturnValues:
 * "UPDATED_OLD - Returns only the updated attributes, as they appeared before the UpdateItem operation").
 * The paths are read as a projection of the item before or after: list elements come packed in index order,
 * an element set past a list's end is not at that index afterwards and so is not returned, and a removed
 * element's index holds its successor afterwards, as DynamoDB answers (undocumented; pinned by
 * test/integration/emulator/updateSemantics.test.ts).
 */
const returnedAttributes = (
  returnValues: ReturnValues,
  before: AttributeMap | undefined,
  after: AttributeMap | undefined,
  paths: () => readonly DocumentPath[],
): Record<string, unknown> => {
  const pick = (item: AttributeMap | undefined): AttributeMap =>
    item === undefined ? {} : applyProjection({ paths: paths() }, item);
  const attributes =
    returnValues === 'ALL_OLD'
      ? before
      : returnValues === 'ALL_NEW'
        ? after
        : returnValues === 'UPDATED_OLD'
          ? pick(before)
          : returnValues === 'UPDATED_NEW'
            ? pick(after)
            : undefined;
  return attributes === undefined || Object.keys(attributes).length === 0 ? {} : { Attributes: attributes };
};

export type { PreparedUpdate };
export { prepareUpdate, updateItem, updateOf };
