import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ProjectWrites, project } from '../src/dynamodb/index.js';
import { defineStreamHandler, isTombstone } from '../src/index.js';
import { bookkeepingTtl } from './bookkeepingTtl.js';
import type { Order } from './order.js';

// Created once per execution environment, as Lambda best practice has it. In `eddy dev` the environment's
// AWS_ENDPOINT_URL points the client at the emulator; on Lambda it reaches DynamoDB.
const client = new DynamoDBClient({});
const viewTable = process.env.VIEW_TABLE ?? 'order-view';
// 'statements' (the default): the batch's rows as conditional PartiQL writes, 25 per BatchExecuteStatement, 1 WCU
// per KB of row. 'each': one conditional PutItem per record, the same cost, 25 times the round trips.
// 'transactions': up to 100 rows per TransactWriteItems at 2 WCU per KB of row (see `project`'s `writes`).
const writes = process.env.VIEW_WRITES as ProjectWrites | undefined;

/**
 * Projects orders into the order view: one row per order with its customer, status, total and line count.
 * Inserts and updates write the row; a deleted order (a DeleteItem, or a replication tombstone when the orders
 * table is replicated) leaves a tombstone row (`eddy_deleted: true`, see `isTombstone`) that the view table's
 * TTL collects after BOOKKEEPING_TTL_DAYS. A redelivered, duplicate or replayed record never moves a row
 * backwards.
 *
 * Reading the view: a GetItem that returns a tombstone means "no such order"; a Scan or Query leaves tombstones
 * out with `FilterExpression: 'attribute_not_exists(eddy_deleted)'`.
 */
export const handler = defineStreamHandler<Order>(
  project({
    client,
    tableName: viewTable,
    tombstoneTtl: bookkeepingTtl(),
    ...(writes === undefined ? {} : { writes }),
    view: (order) =>
      isTombstone(order)
        ? undefined
        : {
            orderId: order.orderId,
            customerId: order.customerId,
            status: order.status ?? 'NEW',
            total: order.total ?? 0,
            lineCount: order.lines?.length ?? 0,
          },
  }),
);
