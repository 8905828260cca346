import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as streams from '@aws-sdk/client-dynamodb-streams';

/**
 * An operation's input shape as the AWS SDK's own smithy schema declares it, reduced to what the fuzzer needs:
 * which members exist and which JSON type each expects. Read from the `XxxInput$` schema arrays the SDK
 * packages export, so the fuzzer follows the service model rather than a second hand-kept copy.
 */
type Shape =
  | {
      readonly kind: 'structure' | 'union';
      readonly name: string;
      readonly members: ReadonlyMap<string, Shape>;
    }
  | { readonly kind: 'list'; readonly name: string; readonly member: Shape }
  | { readonly kind: 'map'; readonly name: string; readonly value: Shape }
  | { readonly kind: 'string' | 'number' | 'boolean' | 'blob' | 'timestamp' | 'document' };

/** Smithy static schema type codes (`@smithy/core/schema`): 3 structure, -3 error, 4 union, 1 list, 2 map. */
const STRUCTURE = 3;
const UNION = 4;
const LIST = 1;
const MAP = 2;
/** Simple schema sentinels (`@smithy/core/schema` SCHEMA): bit 0x40 is "list of", 0x80 "map of". */
const LIST_MODIFIER = 0b0100_0000;
const MAP_MODIFIER = 0b1000_0000;

const simple = (code: number): Shape => {
  if (code & LIST_MODIFIER) return { kind: 'list', name: 'List', member: simple(code & ~LIST_MODIFIER) };
  if (code & MAP_MODIFIER) return { kind: 'map', name: 'Map', value: simple(code & ~MAP_MODIFIER) };
  switch (code) {
    case 0:
      return { kind: 'string' };
    case 2:
      return { kind: 'boolean' };
    case 21:
    case 42:
      return { kind: 'blob' };
    case 15:
      return { kind: 'document' };
    case 4:
    case 5:
    case 6:
    case 7:
      return { kind: 'timestamp' };
    default:
      // 1 (numeric), 17 (big integer), 19 (big decimal)
      return { kind: 'number' };
  }
};

/**
 * Converts one schema reference. Shapes are recursive (AttributeValue holds maps and lists of itself), so each
 * named aggregate is built once and its members filled in place; the cache makes the cycle a cycle.
 */
const convert = (reference: unknown, cache: Map<unknown, Shape>): Shape => {
  let ref = typeof reference === 'function' ? (reference as () => unknown)() : reference;
  // A member reference with traits is `[schema, traits]`.
  while (Array.isArray(ref) && ref.length === 2) ref = ref[0];
  if (typeof ref === 'function') ref = (ref as () => unknown)();
  if (typeof ref === 'number') return simple(ref);
  if (!Array.isArray(ref)) return { kind: 'document' };
  const cached = cache.get(ref);
  if (cached !== undefined) return cached;
  const [type, , name] = ref as [number, string, string];
  if (type === STRUCTURE || type === -STRUCTURE || type === UNION) {
    const members = new Map<string, Shape>();
    const shape: Shape = { kind: type === UNION ? 'union' : 'structure', name, members };
    cache.set(ref, shape);
    const names = ref[4] as string[];
    const schemas = ref[5] as unknown[];
    names.forEach((member, i) => {
      members.set(member, convert(schemas[i], cache));
    });
    return shape;
  }
  if (type === LIST) {
    const shape = { kind: 'list', name, member: { kind: 'document' } } as {
      kind: 'list';
      name: string;
      member: Shape;
    };
    cache.set(ref, shape);
    shape.member = convert(ref[4], cache);
    return shape;
  }
  if (type === MAP) {
    const shape = { kind: 'map', name, value: { kind: 'document' } } as {
      kind: 'map';
      name: string;
      value: Shape;
    };
    cache.set(ref, shape);
    shape.value = convert(ref[5], cache);
    return shape;
  }
  return { kind: 'document' };
};

const cache = new Map<unknown, Shape>();

/** The input shape of `DynamoDB_20120810.Op` or `DynamoDBStreams_20120810.Op`, from the SDK's schema. */
const inputShape = (target: string): Shape | undefined => {
  const [service, operation] = target.split('.') as [string, string];
  const exports: Record<string, unknown> =
    service === 'DynamoDBStreams_20120810'
      ? (streams as unknown as Record<string, unknown>)
      : (dynamodb as unknown as Record<string, unknown>);
  const schema = exports[`${operation}Input$`] ?? exports[`${operation}Request$`];
  return schema === undefined ? undefined : convert(schema, cache);
};

export type { Shape };
export { inputShape };
