import type { AttributeValue, BatchStatementError } from '@aws-sdk/client-dynamodb';
import { VIEW_SHAPE_ATTRIBUTE } from './viewShape.js';
import type { PriorRow, ReplacedRow, StatementKind } from './viewStatement.js';

/**
 * A row's next PartiQL statement: its kind, and for a `replace` the row it overwrites (for a `reshape` the row
 * it expects). @internal
 */
interface StatementStep {
  readonly kind: StatementKind;
  readonly replaced?: PriorRow | ReplacedRow;
}

/**
 * What becomes of a view row after its statement: written (`done`), already passed by a newer record
 * (`settled`), another statement, PutItem (`put`: the conditional write that decides every case as
 * `writes: 'each'` does), or PutItem from now on for every row (`unavailable`: the role may not use PartiQL).
 * @internal
 */
type StatementVerdict =
  | { readonly kind: 'done' | 'settled' | 'put' | 'unavailable' }
  | { readonly kind: 'next'; readonly step: StatementStep };

/**
 * Decides from a statement's error what to do with its row. Pure, so that every path is tested without a
 * table.
 *
 * - A refused UPDATE returns the row it found (ReturnValuesOnConditionCheckFailure ALL_OLD): if that row holds
 *   this record or a newer one, the row is settled; if it is older and of another shape, a `replace` overwrites
 *   exactly that row; if there was no row, an INSERT makes it.
 * - A refused `reshape` (the row was not the one expected) or `replace` (the row changed in between) is
 *   decided as a refused UPDATE, by the row it returns.
 * - An INSERT that finds a row (`DuplicateItem`: a tombstone, a replay) becomes an UPDATE.
 * - Anything else (throttling, a validation error, a row without a shape) goes to PutItem.
 *
 * `ours` is the sequence the row's condition carries (zero-padded, so strings compare as numbers).
 *
 * @example
 * nextStatement({ kind: 'insert' }, { Code: 'DuplicateItem' }, ours, 'eddy_source_sequence');
 * // { kind: 'next', step: { kind: 'update' } }
 * @internal
 */
const nextStatement = (
  step: StatementStep,
  error: BatchStatementError | undefined,
  ours: string,
  sequenceAttribute: string,
): StatementVerdict => {
  if (error === undefined) return { kind: 'done' };
  if (error.Code === 'AccessDenied') return { kind: 'unavailable' };
  if (step.kind === 'insert') {
    return error.Code === 'DuplicateItem' ? { kind: 'next', step: { kind: 'update' } } : { kind: 'put' };
  }
  if (error.Code !== 'ConditionalCheckFailed') return { kind: 'put' };
  const found = error.Item;
  if (found === undefined) return { kind: 'next', step: { kind: 'insert' } };
  const sequence = found[sequenceAttribute];
  if (sequence?.S !== undefined && sequence.S >= ours) return { kind: 'settled' };
  const shape: AttributeValue | undefined = found[VIEW_SHAPE_ATTRIBUTE];
  // A row written without a shape (by 'each' or 'transactions' before, or by hand) or without a sequence is
  // left to PutItem, whose condition needs neither.
  if (sequence?.S === undefined || shape?.S === undefined) return { kind: 'put' };
  return {
    kind: 'next',
    step: { kind: 'replace', replaced: { sequence, shape, names: Object.keys(found) } },
  };
};

export type { StatementStep, StatementVerdict };
export { nextStatement };
