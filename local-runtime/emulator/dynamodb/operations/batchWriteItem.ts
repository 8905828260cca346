import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { checkItemSize } from '../attributes/checkItemSize.js';
import { validateItem } from '../attributes/validateItem.js';
import { chargeItemWrite } from '../capacity/chargeItemWrite.js';
import {
  type CapacityUsage,
  consumedCapacitiesMember,
  RETURN_CONSUMED_CAPACITY,
  usageFor,
} from '../capacity/consumedCapacity.js';
import {
  itemCollectionMetricsMember,
  RETURN_ITEM_COLLECTION_METRICS,
} from '../capacity/itemCollectionMetrics.js';
import { checkLength, checkTableMap } from '../collectionConstraints.js';
import { keyIdentity } from '../keyIdentity.js';
import type { PreparedWrite } from '../PreparedWrite.js';
import { tableByReference } from '../tableReference.js';
import { withSchemaKeyErrors } from '../withSchemaKeyErrors.js';
import { prepareDelete } from './deleteItem.js';
import { preparePut } from './putItem.js';

/** At most 25 put or delete requests in one BatchWriteItem, over all its tables. */
const MAX_REQUESTS = 25;

interface WriteRequest {
  readonly PutRequest?: Record<string, unknown> | null;
  readonly DeleteRequest?: Record<string, unknown> | null;
}

const present = (value: unknown): boolean => value !== undefined && value !== null;

/** The request's constraints and its own rules on each write request, before any table is looked at. */
const readRequest = (input: Record<string, unknown>): [string, WriteRequest[]][] => {
  const constraints = new Constraints();
  constraints.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  constraints.oneOf(
    'returnItemCollectionMetrics',
    input.ReturnItemCollectionMetrics,
    RETURN_ITEM_COLLECTION_METRICS,
  );
  constraints.notNull('requestItems', input.RequestItems);
  checkLength(constraints, 'requestItems', input.RequestItems, 1, Number.POSITIVE_INFINITY);
  checkTableMap(constraints, 'requestItems', input.RequestItems, { min: 1, max: MAX_REQUESTS });
  const tables = Object.entries((input.RequestItems ?? {}) as Record<string, WriteRequest[]>).map(
    ([name, requests]): [string, WriteRequest[]] => [name, Array.isArray(requests) ? requests : []],
  );
  for (const [name, requests] of tables) {
    requests.forEach((request, i) => {
      const member = `requestItems.${name}.member.${i + 1}.member`;
      if (present(request?.DeleteRequest))
        constraints.notNull(`${member}.deleteRequest.key`, request.DeleteRequest?.Key);
      if (present(request?.PutRequest))
        constraints.notNull(`${member}.putRequest.item`, request.PutRequest?.Item);
    });
  }
  constraints.check();

  for (const [, requests] of tables) {
    if (requests.some((request) => present(request?.PutRequest) === present(request?.DeleteRequest))) {
      throw validationException(
        'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
      );
    }
    for (const request of requests) {
      if (present(request.PutRequest)) checkItemSize(validateItem(request.PutRequest?.Item, 'Item'));
      else validateItem(request.DeleteRequest?.Key, 'Key');
    }
  }
  if (tables.reduce((count, [, requests]) => count + requests.length, 0) > MAX_REQUESTS) {
    throw validationException('Too many items requested for the BatchWriteItem call');
  }
  return tables;
};

/**
 * Puts and deletes up to 25 items in one or more tables, without conditions. Every request is checked before
 * anything is written (a bad one fails the whole batch and writes nothing); then each write goes through
 * `Table.write`, so each changed item gets its own stream record. No two requests may name the same item.
 * The emulator always has the capacity, so UnprocessedItems is always empty.
 */
const batchWriteItem: Operation = (input, context) => {
  const tables = readRequest(input);
  const seen = new Set<string>();
  const writes: PreparedWrite[] = [];
  for (const [reference, requests] of tables) {
    const table = tableByReference(context, reference);
    for (const request of requests) {
      const write = withSchemaKeyErrors(() =>
        present(request.PutRequest)
          ? preparePut(table, request.PutRequest as Record<string, unknown>)
          : prepareDelete(table, request.DeleteRequest as Record<string, unknown>),
      );
      const identity = keyIdentity(table.name, write.key);
      if (seen.has(identity)) throw validationException('Provided list of item keys contains duplicates');
      seen.add(identity);
      writes.push(write);
    }
  }

  const usages = new Map<string, CapacityUsage>();
  for (const { table, key, apply } of writes) {
    const existing = table.getItem(key);
    const next = apply(existing);
    table.write(key, next);
    chargeItemWrite(usageFor(usages, table.name), table, key, existing, next);
  }
  return {
    UnprocessedItems: {},
    ...consumedCapacitiesMember(input.ReturnConsumedCapacity, usages.values()),
    ...itemCollectionMetricsMember(input.ReturnItemCollectionMetrics, writes),
  };
};

export { batchWriteItem };
