import type { AttributeValue, BatchStatementRequest, Put } from '@aws-sdk/client-dynamodb';
import { VIEW_SHAPE_ATTRIBUTE } from './viewShape.js';

/** DynamoDB's limit on a PartiQL statement's text (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchStatementRequest.html). */
const MAX_STATEMENT_LENGTH = 8_192;

/** Names that need no escaping inside a quoted identifier or a string literal: no quotes, no backslash. */
const PLAIN_NAME = /^[^"'\\]{1,255}$/;
/** A name with a control character goes to PutItem too: PartiQL's lexer need not take it. */
const hasControlCharacter = (name: string): boolean => {
  for (let index = 0; index < name.length; index += 1) if (name.charCodeAt(index) < 0x20) return true;
  return false;
};

/** Statement plans by kind, table and attribute names: the same few serve every row of a view. */
const plans = new Map<string, StatementPlan | undefined>();
const MAX_PLANS = 1_000;

/** The sequence condition's attribute, passed in so that this module stays apart from `project`'s. */
interface RowWrite {
  readonly put: Put;
  readonly keyNames: readonly string[];
  /** The attribute that holds the row's source sequence number. */
  readonly sequenceAttribute: string;
}

/**
 * The row a `reshape` expects to find (the row of the item's image before the batch): its shape, and its
 * attribute names, those the new row lacks being removed.
 */
interface PriorRow {
  readonly shape: AttributeValue;
  readonly names: readonly string[];
}

/**
 * The row a refused UPDATE returned (ALL_OLD), which a `replace` statement overwrites only if it is still
 * exactly that row: the same source sequence and shape.
 */
interface ReplacedRow extends PriorRow {
  readonly sequence: AttributeValue;
}

type StatementKind = 'insert' | 'update' | 'reshape' | 'replace';

/**
 * The PartiQL statement that writes a view row at the cost of its conditional PutItem (1 write capacity unit
 * per KB; https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.multiplestatements.batching.html),
 * or undefined when only PutItem can (a name that would need escaping, a statement over DynamoDB's length).
 *
 * - `insert`: `INSERT INTO "view" VALUE {...}`: writes the row if the view has none, and fails with
 *   `DuplicateItem` otherwise (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.insert.html).
 * - `update`: `UPDATE "view" SET ... WHERE <key> AND "seq" < ? AND "shape" = ?`: replaces a row that reflects
 *   an older record and has the same attribute names (so nothing stale survives), and fails with
 *   `ConditionalCheckFailed`, the row returned, otherwise, a missing row included
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.update.html).
 * - `reshape`: `UPDATE "view" SET ... REMOVE "old" ... WHERE <key> AND "seq" < ? AND "shape" = ?`, the shape
 *   being the expected row's (`PriorRow`, of another shape than the new row): replaces a row that reflects an
 *   older record and has exactly those attribute names, removing the ones the new row lacks, and fails as
 *   `update` does otherwise. A shape is a hash of the row's names, so the condition pins down what to remove.
 * - `replace`: `UPDATE "view" SET ... REMOVE "old" ... WHERE <key> AND "seq" = ? AND "shape" = ?`: overwrites
 *   the very row a refused statement returned (older, of another shape), removing the attributes the new row
 *   lacks, and fails with `ConditionalCheckFailed` if that row changed since.
 *
 * What decides between them, and what to do when one fails, is `nextStatement`'s.
 * @internal
 */
const viewStatementOf = (
  kind: StatementKind,
  { put, keyNames, sequenceAttribute }: RowWrite,
  replaced?: PriorRow | ReplacedRow,
): BatchStatementRequest | undefined => {
  const item = put.Item;
  const sequence = put.ExpressionAttributeValues?.[':seq'];
  if (item === undefined || sequence === undefined || put.TableName === undefined) return undefined;
  const shape = item[VIEW_SHAPE_ATTRIBUTE];
  if (shape === undefined) return undefined;
  const reshaping = kind === 'reshape' || kind === 'replace';
  if (reshaping && replaced === undefined) return undefined;
  if (kind === 'replace' && !(replaced !== undefined && 'sequence' in replaced)) return undefined;
  const names = Object.keys(item);
  const plan = statementPlan({
    kind,
    table: put.TableName,
    names,
    keyNames,
    sequenceAttribute,
    removed: reshaping ? removedNames(replaced?.names ?? [], names) : [],
  });
  if (plan === undefined) return undefined;
  const values = plan.parameterNames.map((name) => item[name]);
  if (values.some((value) => value === undefined)) return undefined;
  const parameters = values as AttributeValue[];
  if (kind === 'insert') return { Statement: plan.text, Parameters: parameters };
  // update: older than ours, our shape; reshape: older than ours, the expected row's shape; replace: that very row.
  let condition = [sequence, shape];
  if (kind === 'reshape' && replaced !== undefined) condition = [sequence, replaced.shape];
  if (kind === 'replace' && replaced !== undefined && 'sequence' in replaced) {
    condition = [replaced.sequence, replaced.shape];
  }
  return {
    Statement: plan.text,
    Parameters: [...parameters, ...condition],
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
};

/** The old row's names that the new row lacks, in the old row's order. */
const removedNames = (old: readonly string[], kept: readonly string[]): string[] => {
  const keep = new Set(kept);
  return old.filter((name) => !keep.has(name));
};

/** What a statement's text depends on. */
interface TextSpec {
  readonly kind: StatementKind;
  readonly table: string;
  readonly names: readonly string[];
  readonly keyNames: readonly string[];
  readonly sequenceAttribute: string;
  /** A `replace`'s attributes to remove. */
  readonly removed: readonly string[];
}

/**
 * A statement's text and the row attributes its parameters take, in order (an UPDATE's sequence and shape
 * follow them).
 */
interface StatementPlan {
  readonly text: string;
  readonly parameterNames: readonly string[];
}

/** The statement's plan, made once per kind, table and names; undefined when PartiQL cannot say it. */
const statementPlan = (spec: TextSpec): StatementPlan | undefined => {
  const { kind, table, names, keyNames, removed } = spec;
  const cacheKey = `${kind}\u0000${table}\u0000${keyNames.join('\u0001')}\u0000${names.join('\u0001')}\u0000${removed.join('\u0001')}`;
  if (plans.has(cacheKey)) return plans.get(cacheKey);
  const plan = buildPlan(spec);
  if (plans.size >= MAX_PLANS) plans.clear();
  plans.set(cacheKey, plan);
  return plan;
};

const buildPlan = ({
  kind,
  table,
  names,
  keyNames,
  sequenceAttribute,
  removed,
}: TextSpec): StatementPlan | undefined => {
  if (
    ![table, ...names, ...keyNames, ...removed].every(
      (name) => PLAIN_NAME.test(name) && !hasControlCharacter(name),
    )
  ) {
    return undefined;
  }
  let plan: StatementPlan;
  if (kind === 'insert') {
    const text = `INSERT INTO "${table}" VALUE {${names.map((name) => `'${name}': ?`).join(', ')}}`;
    plan = { text, parameterNames: names };
  } else {
    const keys = new Set(keyNames);
    // An update keeps the shape it is conditioned on; a reshape or a replace sets the new one.
    const set = names.filter(
      (name) => !keys.has(name) && (kind !== 'update' || name !== VIEW_SHAPE_ATTRIBUTE),
    );
    if (set.length === 0 || keyNames.length === 0) return undefined;
    const where = [
      ...keyNames.map((name) => `"${name}" = ?`),
      `"${sequenceAttribute}" ${kind === 'replace' ? '=' : '<'} ?`,
      `"${VIEW_SHAPE_ATTRIBUTE}" = ?`,
    ];
    // One REMOVE clause per attribute: DynamoDB Local refuses a comma-separated list as not well formed.
    const remove = removed.map((name) => ` REMOVE "${name}"`).join('');
    const text = `UPDATE "${table}" SET ${set.map((name) => `"${name}" = ?`).join(', ')}${remove} WHERE ${where.join(' AND ')}`;
    plan = { text, parameterNames: [...set, ...keyNames] };
  }
  return plan.text.length <= MAX_STATEMENT_LENGTH ? plan : undefined;
};

export type { PriorRow, ReplacedRow, RowWrite, StatementKind };
export { viewStatementOf };
