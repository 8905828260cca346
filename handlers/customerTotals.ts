import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { aggregate, count, sum } from '../src/dynamodb/index.js';
import { defineStreamHandler, isTombstone } from '../src/index.js';
import { bookkeepingTtl } from './bookkeepingTtl.js';
import type { Order } from './order.js';

const client = new DynamoDBClient({});
const totalsTable = process.env.TOTALS_TABLE ?? 'customer-totals';

/** Amounts are summed in whole cents: DynamoDB adds decimals exactly, JavaScript numbers do not. */
const cents = (amount: number | undefined): number => Math.round((amount ?? 0) * 100);

/**
 * Keeps, per customer, how many orders they have and their total (in cents), exactly once: a redelivered,
 * duplicated or replayed record is not counted again, an update moves an order's amount (or the order itself,
 * to another customer) and a delete takes it out. Orders without a customer and deleted orders (replication
 * tombstones included) count towards no one.
 *
 * Reading: `GetItem { customerId: 'c-1' }` gives `{ customerId, orders, totalCents }`; a customer whose orders
 * are all gone keeps a row with 0 orders. The table also holds the aggregate's ledger rows (one per order,
 * collected by TTL after BOOKKEEPING_TTL_DAYS without a change), whose keys begin with `eddy#`: a Scan leaves
 * them out with `FilterExpression: 'NOT begins_with(customerId, :ledger)'`, `:ledger = 'eddy#'`.
 */
export const handler = defineStreamHandler<Order>(
  aggregate<Order>({
    client,
    tableName: totalsTable,
    keyAttribute: 'customerId',
    key: (order) => (isTombstone(order) ? undefined : order.customerId),
    measures: { orders: count(), totalCents: sum((order: Order) => cents(order.total)) },
    ledgerTtl: bookkeepingTtl(),
  }),
);
