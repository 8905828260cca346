import {
  MAX_ATTRIBUTE_DEPTH,
  nestedTooDeep,
  notABlob,
  notABoolean,
  notAList,
  notANumber,
  notAnAttributeValue,
  notAString,
  notAStructure,
  notATimestamp,
} from './wireTypeErrors.js';

/**
 * A smithy static schema as the AWS SDK ships it (`@aws-sdk/client-dynamodb`'s `schemas/schemas_0.js`): a simple
 * type code (`@smithy/core`'s `SCHEMA` sentinels), a thunk, a member with traits `[schema, traits]`, or a
 * tuple `[kind, namespace, name, traits, ...]` (1 list, 2 map, 3 structure, 4 union, 9 operation).
 */
type Schema = number | (() => Schema) | readonly unknown[];

/**
 * Checks one parsed JSON value against its shape and throws DynamoDB's SerializationException (or the nesting
 * ValidationException) when it does not fit. `depth` is the attribute-value nesting level of the value's parent
 * (0 outside attribute values). Returns nothing: a boolean member spelled as a string is replaced in its parent.
 */
type Check = (value: unknown, depth: number) => void;

// @smithy/core's SCHEMA sentinels (dist-es/submodules/schema/schemas/sentinels.js).
const STRING = 0b0000_0000;
const NUMERIC = 0b0000_0001;
const BOOLEAN = 0b0000_0010;
const TIMESTAMP_DEFAULT = 0b0000_0100;
const TIMESTAMP_EPOCH_SECONDS = 0b0000_0111;
const DOCUMENT = 0b0000_1111;
const BIG_INTEGER = 0b0001_0001;
const BIG_DECIMAL = 0b0001_0011;
const BLOB = 0b0001_0101;
const LIST_MODIFIER = 0b0100_0000;
const MAP_MODIFIER = 0b1000_0000;

const LIST = 1;
const MAP = 2;
const STRUCTURE = 3;
const UNION = 4;

/**
 * Numeric members that DynamoDB reads as a Java `Long` rather than an `Integer` (capacity units and request
 * units: `PositiveLongObject` in the API reference); the schema codes do not tell the two apart, and the
 * reader names the type in its message.
 */
const LONG_MEMBERS = new Set([
  'ReadCapacityUnits',
  'WriteCapacityUnits',
  'MaxReadRequestUnits',
  'MaxWriteRequestUnits',
  'ReadUnitsPerSecond',
  'WriteUnitsPerSecond',
]);

/** Strings DynamoDB's reader accepts for a boolean (dynalite's record of AWS's answers). */
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  TRUE: true,
  '1': true,
  YES: true,
  FALSE: false,
  '0': false,
  NO: false,
};

const checkString: Check = (value) => {
  if (typeof value !== 'string') throw notAString(value);
};
const checkBlob: Check = (value) => {
  if (typeof value !== 'string') throw notABlob(value);
};
const checkInteger: Check = (value) => {
  if (typeof value !== 'number') throw notANumber(value, 'Integer');
};
const checkLong: Check = (value) => {
  if (typeof value !== 'number') throw notANumber(value, 'Long');
};
const checkTimestamp: Check = (value) => {
  if (typeof value !== 'number') throw notATimestamp(value);
};
const checkAnything: Check = () => {};
/** A boolean's own check; strings are handled by the parent, which can replace them. */
const checkBoolean: Check = (value) => {
  if (typeof value !== 'boolean') throw notABoolean(value);
};

/** The boolean a string stands for, or an exception when it stands for none. */
const booleanWord = (value: string): boolean => {
  const upper = value.toUpperCase();
  if (!Object.hasOwn(BOOLEAN_WORDS, upper)) throw notABoolean(value);
  return BOOLEAN_WORDS[upper] as boolean;
};

const simpleCheck = (code: number, memberName: string | undefined): Check => {
  switch (code) {
    case STRING:
      return checkString;
    case BLOB:
      return checkBlob;
    case BOOLEAN:
      return checkBoolean;
    case NUMERIC:
    case BIG_INTEGER:
    case BIG_DECIMAL:
      return memberName !== undefined && LONG_MEMBERS.has(memberName) ? checkLong : checkInteger;
    case DOCUMENT:
      return checkAnything;
    default:
      if (code >= TIMESTAMP_DEFAULT && code <= TIMESTAMP_EPOCH_SECONDS) return checkTimestamp;
      return checkAnything;
  }
};

/**
 * Where a value sits, for the nesting message: inside an item (`PutItemInputAttributeMap`, the shape of PutItem's
 * `Item`, `Put.Item` and `PutRequest.Item`) or anywhere else.
 */
type Place = 'item' | 'value';

/**
 * Compiles schemas into checks once; recursive shapes (AttributeValue ↔ its `M` and `L`) meet their own check
 * through a forwarder. Checks allocate nothing on success: members are read by name, maps and lists walked by
 * index.
 */
class ShapeCompiler {
  readonly #compiled = new Map<unknown, Map<Place, Check>>();

  /** The check for a schema, reached as `memberName` in a value at `place`. */
  compile(schema: Schema, place: Place = 'value', memberName?: string): Check {
    const resolved = resolve(schema);
    if (typeof resolved === 'number') return this.#simple(resolved, memberName);
    const kind = resolved[0];
    if (kind !== LIST && kind !== MAP && kind !== STRUCTURE && kind !== UNION) return checkAnything;
    let byPlace = this.#compiled.get(resolved);
    if (byPlace === undefined) {
      byPlace = new Map();
      this.#compiled.set(resolved, byPlace);
    }
    const known = byPlace.get(place);
    if (known !== undefined) return known;
    let target: Check | undefined;
    byPlace.set(place, (value, depth) => (target as Check)(value, depth));
    target = this.#build(resolved, place);
    byPlace.set(place, target);
    return target;
  }

  #simple(code: number, memberName: string | undefined): Check {
    if (code & LIST_MODIFIER) return listOf(simpleCheck(code & ~LIST_MODIFIER, undefined));
    if (code & MAP_MODIFIER) return mapOf(simpleCheck(code & ~MAP_MODIFIER, undefined));
    return simpleCheck(code, memberName);
  }

  #build(schema: readonly unknown[], place: Place): Check {
    const name = schema[2] as string;
    switch (schema[0]) {
      case LIST:
        return listOf(this.compile(schema[4] as Schema, place));
      case MAP: {
        const inner = name === 'PutItemInputAttributeMap' ? 'item' : place;
        return mapOf(this.compile(schema[5] as Schema, inner));
      }
      default: {
        const names = schema[4] as readonly string[];
        const schemas = schema[5] as readonly Schema[];
        const checks = names.map((member, i) => this.compile(schemas[i] as Schema, place, member));
        const booleans = names.map((_, i) => resolve(schemas[i] as Schema) === BOOLEAN);
        if (name === 'AttributeValue') return attributeValue(names, checks, booleans, place === 'item');
        return structure(names, checks, booleans);
      }
    }
  }
}

/** A schema with thunks and member traits taken away. */
const resolve = (schema: Schema): number | readonly unknown[] => {
  let current: Schema = schema;
  for (;;) {
    if (typeof current === 'function') current = current();
    else if (Array.isArray(current) && current.length === 2) current = current[0] as Schema;
    else return current as number | readonly unknown[];
  }
};

const listOf =
  (member: Check): Check =>
  (value, depth) => {
    if (!Array.isArray(value)) throw notAList(value);
    for (let i = 0; i < value.length; i += 1) {
      const element: unknown = value[i];
      // A null element is left to the operation, which words its own refusal (as DynamoDB does per member).
      if (element !== null) member(element, depth);
    }
  };

const mapOf =
  (member: Check): Check =>
  (value, depth) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notAStructure(value);
    const entries = value as Record<string, unknown>;
    // JSON.parse makes only own properties, so for-in walks exactly the map's entries.
    for (const key in entries) {
      const element = entries[key];
      if (element !== null) member(element, depth);
    }
  };

/**
 * Checks the members a structure declares and ignores the rest, as DynamoDB does. A member sent as `null` is
 * absent (DynamoDB's reader skips nulls: `ExpressionAttributeValues: null` on DynamoDB Local is a request
 * without them): it is removed, so operations never see a null. Booleans sent as "true", "1", "yes" (and their
 * opposites) are read as booleans, as DynamoDB's reader reads them.
 */
const structure = (
  names: readonly string[],
  checks: readonly Check[],
  booleans: readonly boolean[],
): Check => {
  // By member name, on a null prototype so a sent `constructor` or `__proto__` finds nothing. The request's own
  // keys are walked rather than the shape's members: a request sends few of them (an AttributeValue one of ten).
  const byName: Record<string, number> = Object.create(null);
  names.forEach((name, i) => {
    byName[name] = i;
  });
  return (value, depth) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notAStructure(value);
    const members = value as Record<string, unknown>;
    for (const name in members) {
      const i = byName[name];
      if (i === undefined) continue;
      const member = members[name];
      if (member === undefined) continue;
      if (member === null) {
        delete members[name];
        continue;
      }
      if (booleans[i] === true && typeof member === 'string') members[name] = booleanWord(member);
      else (checks[i] as Check)(member, depth);
    }
  };
};

/**
 * An AttributeValue: a union whose `M` and `L` nest further values. Nesting beyond DynamoDB's 32 levels is
 * refused here, before any recursive code (validation, size, comparison, cloning) walks the value.
 */
const attributeValue = (
  names: readonly string[],
  checks: readonly Check[],
  booleans: readonly boolean[],
  inItem: boolean,
): Check => {
  const members = structure(names, checks, booleans);
  return (value, depth) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notAnAttributeValue(value);
    if (depth >= MAX_ATTRIBUTE_DEPTH) throw nestedTooDeep(inItem);
    members(value, depth + 1);
  };
};

export type { Check, Schema };
export { ShapeCompiler };
