import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { collectMembers, isPlainObject, rewriteMembers } from './rewriteMembers.js';
import type { Outcome, StreamReading } from './runScenario.js';
import type { Step } from './Scenario.js';

/** Small pure helpers the allowed deviations are written with. */

/** Rewrites the outcomes of the steps that call `op`, leaving the others as they are. */
const forOperation = (
  outcomes: readonly Outcome[],
  steps: readonly Step[],
  op: string,
  rewrite: (outcome: Outcome, step: Step & { input: Record<string, unknown> }) => Outcome,
): Outcome[] =>
  outcomes.map((outcome, index) => {
    const step = steps[index];
    return step !== undefined && step.op === op && 'input' in step ? rewrite(outcome, step) : outcome;
  });

/** Replaces each distinct value found under `members` by a name for its rank under `order`. */
const byRank = (
  outcomes: readonly Outcome[],
  members: ReadonlySet<string>,
  label: string,
  order: (a: string, b: string) => number,
): Outcome[] => {
  const distinct = [...new Set(collectMembers(outcomes, members).map(String))].sort(order);
  const rank = new Map(distinct.map((value, index) => [value, `<${label} ${index + 1}>`]));
  return rewriteMembers(outcomes as Outcome[], (key, value) =>
    members.has(key) ? (rank.get(String(value)) ?? value) : value,
  );
};

/** A plain decimal in DynamoDB's canonical form (`007.50` → `7.5`, `2.0` → `2`, `-0` → `0`); exponents left alone. */
const canonicalDecimal = (value: string): string => {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(value);
  if (match === null) return value;
  const integer = (match[2] ?? '').replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const magnitude = fraction === '' ? integer : `${integer}.${fraction}`;
  return magnitude === '0' ? '0' : `${match[1]}${magnitude}`;
};

/** JSON with object keys sorted, bytes spelled out: a sort key that ignores member order. */
const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, member: unknown) => {
    if (member instanceof Uint8Array) return `bytes:${Buffer.from(member).toString('base64')}`;
    if (isPlainObject(member))
      return Object.fromEntries(
        Object.keys(member)
          .sort()
          .map((key) => [key, member[key]]),
      );
    return member;
  });

/** The members of a map (or elements of a list) of attribute values, each passed through `map`. */
const mapAttributeValues = (container: unknown, map: (value: unknown) => unknown): unknown =>
  Array.isArray(container)
    ? container.map(map)
    : Object.fromEntries(Object.entries(container as Record<string, unknown>).map(([k, v]) => [k, map(v)]));

/** A stream reading's records grouped by item (each item's in sequence order), numbered within the item. */
const perItemOrder = (outcome: Outcome): Outcome => {
  const reading = (outcome as { stream: StreamReading }).stream;
  const groups = new Map<string, _Record[]>();
  for (const record of reading.records) {
    const key = stableJson(record.dynamodb?.Keys);
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const records = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([, group]) =>
      [...group]
        .sort((a, b) =>
          compareBigInts(String(a.dynamodb?.SequenceNumber), String(b.dynamodb?.SequenceNumber)),
        )
        .map((record, i) => ({
          ...record,
          dynamodb: { ...record.dynamodb, SequenceNumber: `<item seq ${i + 1}>` },
        })),
    );
  return { ...outcome, stream: { ...reading, records } } as Outcome;
};

const compareBigInts = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

export {
  byRank,
  canonicalDecimal,
  compareBigInts,
  forOperation,
  mapAttributeValues,
  perItemOrder,
  stableJson,
};
