import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { AwsServiceError, validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { validateItem } from '../attributes/validateItem.js';
import {
  type CapacityUsage,
  consumedCapacitiesMember,
  itemReadUnits,
  RETURN_CONSUMED_CAPACITY,
  usageFor,
} from '../capacity/consumedCapacity.js';
import { checkLength } from '../collectionConstraints.js';
import { applyProjection } from '../expressions/index.js';
import { keyIdentity } from '../keyIdentity.js';
import { validateKey } from '../keySchema.js';
import type { Table } from '../Table.js';
import { checkTableReference, tableByReference } from '../tableReference.js';
import { readProjection } from './getItem.js';
import { type CancellationReason, transactionCanceledException } from './transactWriteItems.js';

/** At most 100 Gets in one transaction. */
const MAX_GETS = 100;

type Get = Record<string, unknown>;

/** The request's constraints: the top-level members, then each Get's. */
const readGets = (input: Record<string, unknown>): Get[] => {
  const constraints = new Constraints();
  constraints.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  constraints.notNull('transactItems', input.TransactItems);
  checkLength(constraints, 'transactItems', input.TransactItems, 1, MAX_GETS);
  constraints.check();
  const gets = (input.TransactItems as (Record<string, unknown> | null)[]).map((item, i) => {
    const member = `transactItems.${i + 1}.member.get`;
    const get = item?.Get as Get | null | undefined;
    constraints.notNull(member, get);
    if (get !== undefined && get !== null) {
      checkTableReference(constraints, `${member}.tableName`, get.TableName);
      constraints.notNull(`${member}.key`, get.Key);
    }
    return get as Get;
  });
  constraints.check();
  return gets;
};

const KEY_MISMATCH = 'The provided key element does not match the schema';

/**
 * A Get's key checked against its table's key schema: undefined when it does not match the schema, which
 * DynamoDB reports through the cancellation channel. An empty or oversized key value is refused up front.
 */
const matchedKey = (table: Table, raw: AttributeMap): AttributeMap | undefined => {
  try {
    return validateKey(table.definition.keySchema, raw);
  } catch (error) {
    if (error instanceof AwsServiceError && error.message === KEY_MISMATCH) return undefined;
    throw error;
  }
};

/**
 * Reads up to 100 items from one or more tables as one serializable read: every item as of one instant (here,
 * the request), each with its own optional projection. No two Gets may name the same item. Responses come in
 * request order, `{}` for an item that does not exist. Each item costs a transactional read: twice a strongly
 * consistent one.
 *
 * A Get whose key does not match its table's key schema cancels the transaction, as DynamoDB does:
 * TransactionCanceledException with a ValidationError reason for that Get and None for the others
 * (undocumented; pinned by test/integration/emulator/transactions.test.ts).
 */
const transactGetItems: Operation = (input, context) => {
  const seen = new Set<string>();
  const reads = readGets(input).map((get) => {
    const projection = readProjection(get, false);
    const table = tableByReference(context, get.TableName as string);
    const key = matchedKey(table, validateItem(get.Key, 'Key'));
    if (key !== undefined) {
      const identity = keyIdentity(table.name, key);
      if (seen.has(identity)) {
        throw validationException('Transaction request cannot include multiple operations on one item');
      }
      seen.add(identity);
    }
    return { table, key, projection };
  });
  if (reads.some(({ key }) => key === undefined)) {
    throw transactionCanceledException(
      reads.map(
        ({ key }): CancellationReason =>
          key === undefined ? { Code: 'ValidationError', Message: KEY_MISMATCH } : { Code: 'None' },
      ),
    );
  }

  const usages = new Map<string, CapacityUsage>();
  const responses = reads.map(({ table, key, projection }) => {
    const item = table.getItem(key as AttributeMap);
    usageFor(usages, table.name).addRead(itemReadUnits(item, 'transactional'));
    if (item === undefined) return {};
    return { Item: projection === undefined ? item : applyProjection(projection, item) };
  });
  return { Responses: responses, ...consumedCapacitiesMember(input.ReturnConsumedCapacity, usages.values()) };
};

export { transactGetItems };
