import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { defineStreamHandler, project } from '../src/index.js';

/** An order as the orders table holds it. */
interface Order {
  orderId: string;
  customerId?: string;
  status?: string;
  total?: number;
  lines?: unknown[];
}

// Created once per execution environment, as Lambda best practice has it. In `eddy dev` the environment's
// AWS_ENDPOINT_URL points the client at the emulator; on Lambda it reaches DynamoDB.
const client = new DynamoDBClient({});
const viewTable = process.env.VIEW_TABLE ?? 'order-view';

/**
 * Projects orders into the order view: one row per order with its status, total and line count. Inserts and
 * updates write the row, deletes remove it; a redelivered or duplicate record never moves a row backwards.
 */
export const handler = defineStreamHandler<Order>(
  project({
    client,
    tableName: viewTable,
    view: (order) => ({
      orderId: order.orderId,
      customerId: order.customerId,
      status: order.status ?? 'NEW',
      total: order.total ?? 0,
      lineCount: order.lines?.length ?? 0,
    }),
  }),
);
