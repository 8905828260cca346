import { compileValueMatcher } from './compileValueMatcher.js';
import { InvalidPatternError } from './InvalidPatternError.js';
import type { FieldTest, PatternTree, ValueTest } from './PatternTree.js';

/** A pattern ready to match, with the paths a record must be flattened along to evaluate it. */
interface CompiledPattern {
  readonly tree: PatternTree;
  /** Every leaf path the pattern tests. */
  readonly paths: ReadonlySet<string>;
  /** Every dot-prefix of those paths: the only places worth descending into a record. */
  readonly prefixes: ReadonlySet<string>;
}

const OR = '$or';

/**
 * Field names EventBridge's matcher refuses anywhere inside a `$or` branch: its operators and the names it
 * keeps for future ones. A DynamoDB attribute called `prefix` can be filtered on, but not inside `$or`.
 */
const RESERVED_IN_OR: ReadonlySet<string> = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const join = (path: string | undefined, key: string): string => (path === undefined ? key : `${path}.${key}`);

const where = (path: string | undefined): string => (path === undefined ? 'the pattern' : `"${path}"`);

const compileField = (path: string, list: readonly unknown[]): FieldTest => {
  if (list.length === 0) throw new InvalidPatternError(`"${path}": Empty arrays are not allowed`);
  const tests: ValueTest[] = [];
  let ifPresent = false;
  let ifAbsent = false;
  for (const element of list) {
    let matcher: ReturnType<typeof compileValueMatcher>;
    try {
      matcher = compileValueMatcher(element);
    } catch (error) {
      if (error instanceof InvalidPatternError) throw new InvalidPatternError(`"${path}": ${error.message}`);
      throw error;
    }
    if (matcher.kind === 'test') tests.push(matcher.test);
    else if (matcher.exists) ifPresent = true;
    else ifAbsent = true;
  }
  return { path, tests, ifPresent, ifAbsent };
};

const compileObject = (
  object: JsonObject,
  path: string | undefined,
  insideOr: boolean,
  paths: Set<string>,
): PatternTree => {
  const keys = Object.keys(object);
  if (keys.length === 0) throw new InvalidPatternError(`${where(path)}: Empty objects are not allowed`);
  // A path given twice at one level (`"a.b"` and `"a": {"b"}` join to the same name): the last one counts, as in
  // EventBridge's compiler.
  const fields = new Map<string, FieldTest>();
  const anyOf: (readonly PatternTree[])[] = [];
  for (const key of keys) {
    const value = object[key];
    if (key === OR) {
      anyOf.push(compileOr(value, path, paths));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      throw new InvalidPatternError(`${key} is a reserved field name which cannot be used inside $or`);
    }
    const child = join(path, key);
    if (isObject(value)) {
      const nested = compileObject(value, child, insideOr, paths);
      for (const field of nested.fields) fields.set(field.path, field);
      anyOf.push(...nested.anyOf);
    } else if (Array.isArray(value)) {
      fields.set(child, compileField(child, value));
      paths.add(child);
    } else {
      throw new InvalidPatternError(`"${child}" must be an object or an array`);
    }
  }
  return { fields: [...fields.values()], anyOf };
};

const compileOr = (value: unknown, path: string | undefined, paths: Set<string>): PatternTree[] => {
  const at = path === undefined ? OR : `"${path}.${OR}"`;
  if (!Array.isArray(value)) throw new InvalidPatternError(`${at}: It must be an Array followed with $or.`);
  if (!value.every(isObject)) {
    throw new InvalidPatternError(`${at}: Only JSON object is allowed in array of $or relationship.`);
  }
  if (value.length < 2) {
    throw new InvalidPatternError(`${at}: There must have at least 2 Objects in $or relationship.`);
  }
  return value.map((branch) => compileObject(branch, path, true, paths));
};

const prefixesOf = (paths: ReadonlySet<string>): Set<string> => {
  const prefixes = new Set<string>();
  for (const path of paths) {
    let end = path.indexOf('.');
    while (end >= 0) {
      prefixes.add(path.slice(0, end));
      end = path.indexOf('.', end + 1);
    }
    prefixes.add(path);
  }
  return prefixes;
};

/**
 * Compiles one `Pattern` string under EventBridge's rules
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html): a JSON object whose keys are
 * ANDed, whose leaves are non-empty value lists (ORed), with `"$or": [{…}, {…}, …]` (two or more objects) for OR
 * across fields. Keys join with dots as in EventBridge, so `{"a.b": […]}` and `{"a": {"b": […]}}` are the same
 * field, and match a record's `a.b` whether it is nested or a key with a dot.
 *
 * Duplicate keys: `JSON.parse` keeps the last one. CONFLICT
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html): EventBridge's streaming
 * compiler merges two objects under one key instead, so the AWS docs' example that repeats `"dynamodb"` tests
 * both objects there and only the last one here.
 *
 * @throws InvalidPatternError saying what is wrong and where.
 */
const compilePattern = (text: string): CompiledPattern => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidPatternError(`not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new InvalidPatternError('Filter is not an object');
  const paths = new Set<string>();
  const tree = compileObject(parsed, undefined, false, paths);
  return { tree, paths, prefixes: prefixesOf(paths) };
};

export type { CompiledPattern };
export { compilePattern };
