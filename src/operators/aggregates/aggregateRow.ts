import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { Measure } from './measures.js';

/** Counts the writes to an aggregate row; the optimistic lock of measures that are read before written. */
const REVISION_ATTRIBUTE = 'eddy_revision';

/** Where a measure with an `output` keeps its state. */
const stateAttribute = (name: string): string => `eddy_state_${name}`;

type Measures<V> = Readonly<Record<string, Measure<V>>>;
type Row = Record<string, NativeAttributeValue>;

/**
 * Checks measures once, when the operator is made: names that cannot clash with Eddy's attributes or the key,
 * additive measures that start at 0, and the operations the aggregate needs (`add`, and `remove` or `merge`).
 * @internal
 */
const checkMeasures = <V>(
  measures: Measures<V>,
  reserved: readonly string[],
  operator: string,
  needs?: 'remove' | 'merge',
): void => {
  if (typeof measures !== 'object' || measures === null) {
    throw new TypeError(`${operator}: measures must be an object of measures by attribute name`);
  }
  const names = Object.keys(measures);
  if (names.length === 0) throw new TypeError(`${operator}: give at least one measure`);
  for (const [name, measure] of Object.entries(measures)) {
    if (name.startsWith('eddy_') || reserved.includes(name)) {
      throw new TypeError(`${operator}: the measure name ${JSON.stringify(name)} is reserved`);
    }
    if (typeof measure?.add !== 'function') {
      throw new TypeError(
        `${operator}: the measure ${JSON.stringify(name)} has no add(); use count(), sum(…), min(…), max(…) ` +
          'or reducer({ initial, add, … })',
      );
    }
    if (measure.additive === true && measure.initial !== 0) {
      throw new TypeError(`${operator}: the additive measure ${JSON.stringify(name)} must start at 0`);
    }
    if (needs !== undefined && typeof measure[needs] !== 'function') {
      throw new TypeError(
        `${operator}: the measure ${JSON.stringify(name)} has no ${needs}(), which ${operator} needs ` +
          (needs === 'remove'
            ? '(a MODIFY or REMOVE takes the old image back out)'
            : "(each shard's state for a window is merged into the window's row)"),
      );
    }
  }
};

/** Whether any measure is read before it is written (not additive). */
const readsRows = <V>(measures: Measures<V>): boolean =>
  Object.values(measures).some((measure) => measure.additive !== true);

/** A measure's state in a row as read, or its initial state. */
const stateIn = <V>(row: Row | undefined, name: string, measure: Measure<V>): unknown => {
  if (row === undefined) return measure.initial;
  const stored = measure.output === undefined ? row[name] : row[stateAttribute(name)];
  return stored ?? measure.initial;
};

/** States compare as DynamoDB would store them. */
const sameState = (a: unknown, b: unknown): boolean =>
  JSON.stringify(marshall({ v: a }, { removeUndefinedValues: true })) ===
  JSON.stringify(marshall({ v: b }, { removeUndefinedValues: true }));

/**
 * The parts of an UpdateItem that bring a row's measures to their new states: additive measures by ADD of the
 * difference, the others by SET of their state (and output), the revision by ADD 1. Undefined when nothing
 * changes.
 * @internal
 */
const measureUpdate = <V>(
  measures: Measures<V>,
  before: ReadonlyMap<string, unknown>,
  after: ReadonlyMap<string, unknown>,
  extra: { readonly set?: Row; readonly add?: Row } = {},
):
  | {
      UpdateExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, SdkAttributeValue>;
    }
  | undefined => {
  const names: Record<string, string> = { '#rev': REVISION_ATTRIBUTE };
  const values: Row = { ':one': 1 };
  const add: string[] = ['#rev :one'];
  const set: string[] = [];
  const remove: string[] = [];
  let changed = false;
  Object.entries(measures).forEach(([name, measure], i) => {
    const from = before.get(name) ?? measure.initial;
    const to = after.get(name) ?? measure.initial;
    if (measure.additive === true) {
      const delta = (to as number) - (from as number);
      if (delta === 0) return;
      names[`#m${i}`] = name;
      values[`:m${i}`] = delta;
      add.push(`#m${i} :m${i}`);
      changed = true;
      return;
    }
    if (sameState(from, to)) return;
    changed = true;
    names[`#m${i}`] = name;
    const shown = measure.output === undefined ? to : measure.output(to);
    if (shown === undefined) remove.push(`#m${i}`);
    else {
      values[`:m${i}`] = shown;
      set.push(`#m${i} = :m${i}`);
    }
    if (measure.output !== undefined) {
      names[`#s${i}`] = stateAttribute(name);
      values[`:s${i}`] = to;
      set.push(`#s${i} = :s${i}`);
    }
  });
  if (!changed) return undefined;
  Object.entries(extra.set ?? {}).forEach(([name, value], i) => {
    names[`#x${i}`] = name;
    values[`:x${i}`] = value;
    set.push(`#x${i} = :x${i}`);
  });
  Object.entries(extra.add ?? {}).forEach(([name, value], i) => {
    names[`#y${i}`] = name;
    values[`:y${i}`] = value;
    add.push(`#y${i} :y${i}`);
  });
  const clauses = [
    `ADD ${add.join(', ')}`,
    ...(set.length > 0 ? [`SET ${set.join(', ')}`] : []),
    ...(remove.length > 0 ? [`REMOVE ${remove.join(', ')}`] : []),
  ];
  return {
    UpdateExpression: clauses.join(' '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true, convertEmptyValues: false }),
  };
};

export type { Measures, Row };
export { checkMeasures, measureUpdate, REVISION_ATTRIBUTE, readsRows, stateAttribute, stateIn };
