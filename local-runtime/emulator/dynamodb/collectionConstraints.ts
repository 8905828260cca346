import type { Constraints } from '../validation/Constraints.js';

/**
 * How DynamoDB's front end (Java) prints a list or map member's value in a constraint failure: lists as
 * `[a, b]`, maps as `{k=v}`. The element spellings are approximate (Java prints its own objects); the shape,
 * and so the message up to the value, is DynamoDB's.
 */
const javaString = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, member]) => `${key}=${javaString(member)}`)
      .join(', ')}}`;
  }
  return String(value);
};

const sizeOf = (value: unknown): number | undefined => {
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
};

/** The length constraint of a list or map member (`Member must have length …`), as DynamoDB words it. */
const checkLength = (
  constraints: Constraints,
  member: string,
  value: unknown,
  min: number,
  max: number,
): void => {
  const size = sizeOf(value);
  if (size === undefined) return;
  if (size < min) {
    constraints.fail(member, javaString(value), `Member must have length greater than or equal to ${min}`);
  }
  if (size > max)
    constraints.fail(member, javaString(value), `Member must have length less than or equal to ${max}`);
};

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/**
 * The constraints on the keys and values of a map keyed by table (BatchGetItem's and BatchWriteItem's
 * RequestItems): one failure for the map when a key is not a table name (an ARN is accepted), and, for
 * BatchWriteItem, one when a table's list of requests is not within `values`.
 */
const checkTableMap = (
  constraints: Constraints,
  member: string,
  value: unknown,
  values?: { readonly min: number; readonly max: number },
): void => {
  if (value === null || typeof value !== 'object') return;
  const entries = Object.entries(value);
  if (entries.some(([name]) => !name.startsWith('arn:') && !TABLE_NAME.test(name))) {
    constraints.fail(
      member,
      javaString(value),
      'Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]',
    );
  }
  if (values === undefined) return;
  if (
    entries.some(([, list]) => (sizeOf(list) ?? values.min) < values.min || (sizeOf(list) ?? 0) > values.max)
  ) {
    constraints.fail(
      member,
      javaString(value),
      `Map value must satisfy constraint: [Member must have length less than or equal to ${values.max}, Member must have length greater than or equal to ${values.min}]`,
    );
  }
};

export { checkLength, checkTableMap, javaString };
