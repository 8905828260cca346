import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { AwsServiceError } from '../../errors.js';
import { checkNesting } from '../attributes/checkNesting.js';
import { checkCondition } from '../checkCondition.js';
import { executeWrite } from '../executeWrite.js';
import { setOwn } from '../expressions/documentPath.js';
import { prepareDelete } from '../operations/deleteItem.js';
import { preparePut } from '../operations/putItem.js';
import { prepareUpdate } from '../operations/updateItem.js';
import type { PreparedWrite } from '../PreparedWrite.js';
import type { Table } from '../Table.js';
import type { Returning } from './ast.js';
import type { WritePlan } from './planWrite.js';
import { duplicateItemException } from './statementErrors.js';
import { withStatementMessages } from './withStatementMessages.js';

type PreparedStatementWrite = PreparedWrite & { readonly touched?: ReadonlySet<string> };

/**
 * A write statement ready to run: planned (its table and the item it names known, the checks of its WHERE
 * clause and item made) but not yet prepared. `prepare` makes the checks and the compiled write of PutItem's,
 * UpdateItem's or DeleteItem's own preparation, with their errors.
 */
interface StatementWrite {
  readonly kind: WritePlan['kind'];
  readonly table: Table;
  readonly returning?: Returning | undefined;
  /** The item's primary key: what a batch checks for two statements on one item. */
  readonly key: AttributeMap;
  prepare(): PreparedStatementWrite;
}

/** A planned write checked and compiled by PutItem's, UpdateItem's or DeleteItem's own preparation. */
const prepareStatementWrite = (plan: WritePlan): PreparedStatementWrite =>
  withStatementMessages(() => {
    switch (plan.kind) {
      case 'insert':
        // The item is built from the statement's literals, which the wire check of the request never saw.
        checkNesting(plan.request.Item, true);
        return preparePut(plan.table, plan.request);
      case 'update':
        return prepareUpdate(plan.table, plan.request);
      default:
        return prepareDelete(plan.table, plan.request);
    }
  });

/** What RETURNING asks for: the whole item before or after, or only the attributes the update touched. */
const returnedItem = (
  returning: Returning | undefined,
  existing: AttributeMap | undefined,
  next: AttributeMap | undefined,
  touched: ReadonlySet<string> | undefined,
): AttributeMap | undefined => {
  const pick = (item: AttributeMap | undefined): AttributeMap | undefined => {
    if (item === undefined) return undefined;
    const picked: AttributeMap = {};
    for (const name of touched ?? []) {
      if (Object.hasOwn(item, name)) setOwn(picked, name, item[name] as AttributeMap[string]);
    }
    return picked;
  };
  const item =
    returning === 'ALL_OLD'
      ? existing
      : returning === 'ALL_NEW'
        ? next
        : returning === 'UPDATED_OLD'
          ? pick(existing)
          : returning === 'UPDATED_NEW'
            ? pick(next)
            : undefined;
  return item === undefined || Object.keys(item).length === 0 ? undefined : item;
};

interface WriteOutcome {
  /** The item RETURNING asked for, if any and not empty. */
  readonly item?: AttributeMap;
  /** ConsumedCapacity, when `input` asked for it. */
  readonly report: Record<string, unknown>;
  /** The item's key, and the item before and after the write: what a batch charges capacity by. */
  readonly key: AttributeMap;
  readonly existing: AttributeMap | undefined;
  readonly next: AttributeMap | undefined;
}

/**
 * Runs one write statement as the single-item write it is, through `executeWrite`, the path of PutItem,
 * UpdateItem and DeleteItem: the condition against the stored item (ReturnValuesOnConditionCheckFailure
 * included), the one `Table.write` that keeps indexes and reports the change to the stream, the capacity.
 * An INSERT whose item exists fails with DuplicateItemException instead of a failed condition.
 */
const runWrite = (statement: StatementWrite, input: Record<string, unknown>): WriteOutcome => {
  const write = statement.prepare();
  if (write.fault !== undefined) {
    // A statement's WHERE clause is checked before what it sets: an UPDATE of a key attribute of an item that
    // is not there fails its condition (as DynamoDB Local answers).
    checkCondition(write.condition, write.table.getItem(write.key), input);
    throw write.fault;
  }
  try {
    const { existing, next, report } = withStatementMessages(() => executeWrite(write, input));
    const item = returnedItem(statement.returning, existing, next, write.touched);
    return { ...(item === undefined ? {} : { item }), report, key: write.key, existing, next };
  } catch (error) {
    if (
      statement.kind === 'insert' &&
      error instanceof AwsServiceError &&
      error.name === 'ConditionalCheckFailedException'
    ) {
      throw duplicateItemException();
    }
    throw error;
  }
};

export type { PreparedStatementWrite, StatementWrite, WriteOutcome };
export { prepareStatementWrite, runWrite };
