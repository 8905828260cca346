import { batchGetItem } from './dynamodb/operations/batchGetItem.js';
import { batchWriteItem } from './dynamodb/operations/batchWriteItem.js';
import { createTable } from './dynamodb/operations/createTable.js';
import { deleteItem } from './dynamodb/operations/deleteItem.js';
import { deleteTable } from './dynamodb/operations/deleteTable.js';
import { describeEndpoints } from './dynamodb/operations/describeEndpoints.js';
import { describeLimits } from './dynamodb/operations/describeLimits.js';
import { describeTable } from './dynamodb/operations/describeTable.js';
import { describeTimeToLive } from './dynamodb/operations/describeTimeToLive.js';
import { getItem } from './dynamodb/operations/getItem.js';
import { listTables } from './dynamodb/operations/listTables.js';
import { putItem } from './dynamodb/operations/putItem.js';
import { query } from './dynamodb/operations/query.js';
import { scan } from './dynamodb/operations/scan.js';
import { transactGetItems } from './dynamodb/operations/transactGetItems.js';
import { transactWriteItems } from './dynamodb/operations/transactWriteItems.js';
import { updateItem } from './dynamodb/operations/updateItem.js';
import { updateTable } from './dynamodb/operations/updateTable.js';
import { updateTimeToLive } from './dynamodb/operations/updateTimeToLive.js';
import { batchExecuteStatement } from './dynamodb/partiql/operations/batchExecuteStatement.js';
import { executeStatement } from './dynamodb/partiql/operations/executeStatement.js';
import { executeTransaction } from './dynamodb/partiql/operations/executeTransaction.js';
import type { Operation } from './operation.js';
import { describeStream } from './streams/operations/describeStream.js';
import { getRecords } from './streams/operations/getRecords.js';
import { getShardIterator } from './streams/operations/getShardIterator.js';
import { listStreams } from './streams/operations/listStreams.js';
import { listTagsOfResource } from './tags/operations/listTagsOfResource.js';
import { tagResource } from './tags/operations/tagResource.js';
import { untagResource } from './tags/operations/untagResource.js';

/**
 * The operations the emulator serves, by `X-Amz-Target` service prefix and operation name. Both APIs share one
 * port: DynamoDB and DynamoDB Streams sign with the same service name, so only the target tells them apart.
 */
const OPERATIONS: Readonly<Record<string, Readonly<Record<string, Operation>>>> = {
  DynamoDB_20120810: {
    BatchExecuteStatement: batchExecuteStatement,
    BatchGetItem: batchGetItem,
    BatchWriteItem: batchWriteItem,
    CreateTable: createTable,
    DeleteItem: deleteItem,
    DeleteTable: deleteTable,
    DescribeEndpoints: describeEndpoints,
    DescribeLimits: describeLimits,
    DescribeTable: describeTable,
    DescribeTimeToLive: describeTimeToLive,
    ExecuteStatement: executeStatement,
    ExecuteTransaction: executeTransaction,
    GetItem: getItem,
    ListTables: listTables,
    ListTagsOfResource: listTagsOfResource,
    PutItem: putItem,
    Query: query,
    Scan: scan,
    TagResource: tagResource,
    TransactGetItems: transactGetItems,
    TransactWriteItems: transactWriteItems,
    UntagResource: untagResource,
    UpdateItem: updateItem,
    UpdateTable: updateTable,
    UpdateTimeToLive: updateTimeToLive,
  },
  DynamoDBStreams_20120810: {
    DescribeStream: describeStream,
    GetRecords: getRecords,
    GetShardIterator: getShardIterator,
    ListStreams: listStreams,
  },
};

/** The operation a target names, or undefined for an unknown target. */
const operationFor = (target: string): Operation | undefined => {
  const known = resolvedTargets.get(target);
  if (known !== undefined) return known;
  const dot = target.indexOf('.');
  if (dot < 0) return undefined;
  const service = target.slice(0, dot);
  const name = target.slice(dot + 1);
  const table = Object.hasOwn(OPERATIONS, service) ? OPERATIONS[service] : undefined;
  const operation = table !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
  if (operation !== undefined) resolvedTargets.set(target, operation);
  return operation;
};

/** Targets already resolved (every request resolves its target twice); unknown targets are not kept. */
const resolvedTargets = new Map<string, Operation>();

export { OPERATIONS, operationFor };
