import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { validateItem } from '../attributes/validateItem.js';
import {
  CapacityUsage,
  consumedCapacitiesMember,
  itemReadUnits,
  RETURN_CONSUMED_CAPACITY,
} from '../capacity/consumedCapacity.js';
import { checkLength, checkTableMap } from '../collectionConstraints.js';
import { applyProjection, type Projection } from '../expressions/index.js';
import { keyIdentity } from '../keyIdentity.js';
import { validateKey } from '../keySchema.js';
import { tableByReference } from '../tableReference.js';
import { readProjection } from './getItem.js';

/** At most 100 keys in one BatchGetItem, over all its tables. */
const MAX_KEYS = 100;
/** A BatchGetItem response carries at most 16 MB of items; the keys beyond go back as UnprocessedKeys. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

type KeysAndAttributes = Record<string, unknown> & { readonly Keys: readonly unknown[] };

interface TableRead {
  /** The table as the request names it (a name or an ARN); responses are keyed by it. */
  readonly reference: string;
  readonly request: KeysAndAttributes;
  readonly projection: Projection | undefined;
  readonly keys: readonly AttributeMap[];
}

/**
 * One table's Keys: 1 to 100 of them. DynamoDB reports this constraint in its newer validation framework's
 * words, naming the member as the API does and without echoing the keys: "Value at
 * 'RequestItems.<table>.member.Keys' failed to satisfy constraint: …" (live DynamoDB's answers, pinned by
 * test/integration/emulator/batch.test.ts; dynalite and DynamoDB Local give older answers).
 */
const checkKeysLength = (constraints: Constraints, table: string, keys: unknown): void => {
  if (!Array.isArray(keys)) return;
  const member = `RequestItems.${table}.member.Keys`;
  if (keys.length < 1) constraints.failUnechoed(member, 'Member must have length greater than or equal to 1');
  if (keys.length > MAX_KEYS) {
    constraints.failUnechoed(member, `Member must have length less than or equal to ${MAX_KEYS}`);
  }
};

/** The request's constraints and its own rules (projections, key values, duplicates, the 100-key limit). */
const readRequest = (input: Record<string, unknown>): TableRead[] => {
  const constraints = new Constraints();
  constraints.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  constraints.notNull('requestItems', input.RequestItems);
  checkLength(constraints, 'requestItems', input.RequestItems, 1, Number.POSITIVE_INFINITY);
  checkTableMap(constraints, 'requestItems', input.RequestItems);
  const entries = Object.entries(
    (input.RequestItems ?? {}) as Record<string, Record<string, unknown> | null>,
  );
  for (const [name, entry] of entries) {
    const member = `requestItems.${name}.member`;
    constraints.notNull(`${member}.keys`, entry?.Keys);
    checkKeysLength(constraints, name, entry?.Keys);
    checkLength(constraints, `${member}.attributesToGet`, entry?.AttributesToGet, 1, 255);
  }
  constraints.check();

  const seen = new Set<string>();
  return entries.map(([reference, entry]) => {
    const request = entry as KeysAndAttributes;
    const projection = readProjection(request, true);
    const keys = request.Keys.map((raw) => {
      const key = validateItem(raw, 'Key');
      const identity = keyIdentity(reference, key);
      if (seen.has(identity)) throw validationException('Provided list of item keys contains duplicates');
      seen.add(identity);
      if (seen.size > MAX_KEYS)
        throw validationException('Too many items requested for the BatchGetItem call');
      return key;
    });
    return { reference, request, projection, keys };
  });
};

/**
 * Reads up to 100 items from one or more tables. Each table's keys may ask for a projection and a strongly
 * consistent read. Items come back per table (in request order here; DynamoDB promises no order), missing items
 * are simply absent, and once the response would pass 16 MB the remaining keys come back as UnprocessedKeys,
 * with their table's other parameters, for the caller to retry. Each key read costs its own read units.
 */
const batchGetItem: Operation = (input, context) => {
  const reads = readRequest(input);
  const resolved = reads.map((read) => {
    const table = tableByReference(context, read.reference);
    const keys = read.keys.map((key) => validateKey(table.definition.keySchema, key));
    return { ...read, table, keys };
  });

  const responses: [string, AttributeMap[]][] = [];
  const unprocessed: [string, Record<string, unknown>][] = [];
  const usages: CapacityUsage[] = [];
  let bytes = 0;
  let full = false;
  for (const { reference, request, projection, table, keys } of resolved) {
    const items: AttributeMap[] = [];
    const left: AttributeMap[] = [];
    const usage = new CapacityUsage(table.name);
    const consistency = request.ConsistentRead === true ? 'strong' : 'eventual';
    for (const key of keys) {
      const item = full ? undefined : table.getItem(key);
      const returned =
        item === undefined || projection === undefined ? item : applyProjection(projection, item);
      const size = returned === undefined ? 0 : itemSize(returned);
      if (full || bytes + size > MAX_RESPONSE_BYTES) {
        full = true;
        left.push(key);
        continue;
      }
      bytes += size;
      usage.addRead(itemReadUnits(item, consistency));
      if (returned !== undefined) items.push(returned);
    }
    responses.push([reference, items]);
    usages.push(usage);
    if (left.length > 0) unprocessed.push([reference, { ...request, Keys: left }]);
  }
  return {
    Responses: Object.fromEntries(responses),
    UnprocessedKeys: Object.fromEntries(unprocessed),
    ...consumedCapacitiesMember(input.ReturnConsumedCapacity, usages),
  };
};

export { batchGetItem };
