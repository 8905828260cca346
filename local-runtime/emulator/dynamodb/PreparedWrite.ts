import type { AttributeMap } from '../../../src/records/attributeValue.js';
import type { AwsServiceError } from '../errors.js';
import type { Condition } from './expressions/index.js';
import type { Table } from './Table.js';

/**
 * One item write, checked and compiled but not yet done: what PutItem, UpdateItem, DeleteItem, the requests of
 * BatchWriteItem and the actions of TransactWriteItems turn into. Splitting the checks that need only the
 * request (and the table) from the effect on the stored item lets a transaction check every action and every
 * condition before it writes anything.
 */
interface PreparedWrite {
  readonly kind: 'put' | 'update' | 'delete' | 'check';
  readonly table: Table;
  /** The item's primary key. */
  readonly key: AttributeMap;
  /** ConditionExpression or the legacy Expected, compiled. */
  readonly condition: Condition | undefined;
  /**
   * A fault of this write that does not depend on the stored item but is reported, like the ones that do, as
   * the action's own (a transaction's ValidationError cancellation reason): UpdateItem naming a key attribute.
   */
  readonly fault?: AwsServiceError;
  /**
   * The item after the write, given the item before it (undefined for none): undefined deletes. Throws DynamoDB's
   * ValidationException for faults that depend on the stored item (an update's operand types, the 400 KB limit).
   * A ConditionCheck returns the item unchanged.
   */
  readonly apply: (existing: AttributeMap | undefined) => AttributeMap | undefined;
  /** `itemSize` of what `apply` returns, when it is known before (a Put's item, measured for the 400 KB limit). */
  readonly nextSize?: number;
  /**
   * `itemSize` of an item `apply` returned, when `apply` measured it (an update checks the 400 KB limit), so
   * that storing it does not measure it again; undefined for any other item.
   */
  readonly measuredSize?: (next: AttributeMap) => number | undefined;
}

export type { PreparedWrite };
