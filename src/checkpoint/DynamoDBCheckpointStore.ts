import {
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  paginateScan,
  UpdateItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { LeaseLostError } from '../leaseTable/LeaseLostError.js';
import { namesIn, shardItemKey, TABLE_KEY } from '../leaseTable/leaseItem.js';
import { CheckpointRegressionError } from './CheckpointRegressionError.js';
import { type Checkpoint, type CheckpointEntry, CheckpointStore } from './CheckpointStore.js';

/**
 * What a checkpoint write must still hold: this worker's id and, per shard, the token of its current take of the
 * lease (undefined when it holds none: the write then fails with LeaseLostError without a request).
 *
 * @example
 * // LeaseManager supplies one; a custom lease scheme would implement it:
 * const fence: LeaseFence = { workerId: 'worker-a', tokenFor: (mappingId, shardId) => myLeases.token(shardId) };
 * const checkpoints = new DynamoDBCheckpointStore(client, 'eddy-leases', { leaseFence: fence });
 */
interface LeaseFence {
  readonly workerId: string;
  tokenFor(mappingId: string, shardId: string): string | undefined;
}

/**
 * How a `DynamoDBCheckpointStore` conditions its writes.
 *
 * @example
 * const checkpoints = new DynamoDBCheckpointStore(client, 'eddy-checkpoints', { leaseFence: leases });
 */
interface DynamoDBCheckpointStoreOptions {
  /**
   * Makes every write conditional on the writer's lease of the shard. LeaseManager supplies this; without it,
   * writes are only conditioned on the never-backwards rule.
   */
  readonly leaseFence?: LeaseFence;
}

/** Sequence numbers have at most 40 digits (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_SequenceNumberRange.html); padded, they compare as text. */
const ORDER_DIGITS = 40;

const toOrder = (sequenceNumber: string): string => {
  if (!/^\d{1,40}$/.test(sequenceNumber)) throw new RangeError(`not a sequence number: ${sequenceNumber}`);
  return sequenceNumber.padStart(ORDER_DIGITS, '0');
};

const describeCheckpoint = (item: Record<string, AttributeValue> | undefined): string => {
  const sequenceNumber = item?.checkpoint?.S ?? '(none)';
  return item?.shardEnded?.BOOL === true ? `${sequenceNumber} (shard ended)` : sequenceNumber;
};

/**
 * ⑦ Checkpoints in a DynamoDB table, so they outlive the process and several workers can share one stream. The
 * table also holds the shard leases (see `leaseTable/leaseItem.ts` for the schema), and every write is a
 * conditional UpdateItem: the never-backwards rule holds even when several processes write at once, which the
 * base class's read-then-check alone cannot promise. With a `leaseFence`, a worker that lost a shard's lease
 * cannot move that shard's checkpoint.
 *
 * Only GetItem, UpdateItem, DescribeTable and CreateTable are used (and Scan, by `list` alone), so the same
 * code runs against the emulator, DynamoDB Local and AWS.
 *
 * @example
 * const checkpoints = new DynamoDBCheckpointStore(new DynamoDBClient({}), 'eddy-checkpoints');
 * await checkpoints.ensureTable();
 * const mapping = new EventSourceMapping({ mappingId: 'orders-projection', checkpoints, … });
 */
class DynamoDBCheckpointStore extends CheckpointStore {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly #leaseFence: DynamoDBCheckpointStoreOptions['leaseFence'];

  constructor(client: DynamoDBClient, tableName: string, options: DynamoDBCheckpointStoreOptions = {}) {
    super();
    this.client = client;
    this.tableName = tableName;
    this.#leaseFence = options.leaseFence;
  }

  /**
   * Creates the table (PAY_PER_REQUEST, hash key `leaseKey`) unless it exists, and waits until it is ACTIVE.
   * Safe to call from several workers at once: a table another worker is creating counts as existing.
   */
  async ensureTable(maxWaitSeconds = 300): Promise<void> {
    try {
      await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      try {
        await this.client.send(
          new CreateTableCommand({
            TableName: this.tableName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: TABLE_KEY, AttributeType: 'S' }],
            KeySchema: [{ AttributeName: TABLE_KEY, KeyType: 'HASH' }],
          }),
        );
      } catch (createError) {
        if ((createError as Error).name !== 'ResourceInUseException') throw createError;
      }
    }
    // Polling a remote status is I/O, not logic time: the SDK's waiter runs on real timers.
    await waitUntilTableExists(
      { client: this.client, minDelay: 1, maxDelay: 5, maxWaitTime: maxWaitSeconds },
      { TableName: this.tableName },
    );
  }

  protected override async _read(mappingId: string, shardId: string): Promise<Checkpoint | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { [TABLE_KEY]: { S: shardItemKey(mappingId, shardId) } },
        ConsistentRead: true,
        ProjectionExpression: '#checkpoint, #shardEnded',
        ExpressionAttributeNames: { '#checkpoint': 'checkpoint', '#shardEnded': 'shardEnded' },
      }),
    );
    const sequenceNumber = Item?.checkpoint?.S;
    const shardEnded = Item?.shardEnded?.BOOL;
    if (sequenceNumber === undefined && shardEnded === undefined) return undefined;
    return {
      ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
      ...(shardEnded === undefined ? {} : { shardEnded }),
    };
  }

  protected override async _write(mappingId: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    const fence = this.#fence(mappingId, shardId);
    const values: Record<string, AttributeValue> = {
      ':mappingId': { S: mappingId },
      ':shardId': { S: shardId },
    };
    const set = ['#mappingId = :mappingId', '#shardId = :shardId'];
    const remove: string[] = [];
    const conditions: string[] = [];
    const { sequenceNumber, shardEnded } = checkpoint;
    if (sequenceNumber === undefined) {
      remove.push('#checkpoint', '#checkpointOrder');
      conditions.push('attribute_not_exists(#checkpointOrder)');
    } else {
      set.push('#checkpoint = :checkpoint', '#checkpointOrder = :order');
      values[':checkpoint'] = { S: sequenceNumber };
      values[':order'] = { S: toOrder(sequenceNumber) };
      conditions.push('(attribute_not_exists(#checkpointOrder) OR #checkpointOrder <= :order)');
    }
    if (shardEnded === undefined) remove.push('#shardEnded');
    else {
      set.push('#shardEnded = :shardEnded');
      values[':shardEnded'] = { BOOL: shardEnded };
    }
    if (shardEnded !== true) {
      // An ended shard is never reopened.
      conditions.push('(attribute_not_exists(#shardEnded) OR #shardEnded = :false)');
      values[':false'] = { BOOL: false };
    }
    if (fence !== undefined) {
      conditions.push('#leaseOwner = :owner AND #leaseToken = :token');
      values[':owner'] = { S: fence.workerId };
      values[':token'] = { S: fence.token };
    }
    const update = `SET ${set.join(', ')}${remove.length === 0 ? '' : ` REMOVE ${remove.join(', ')}`}`;
    const condition = conditions.join(' AND ');
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [TABLE_KEY]: { S: shardItemKey(mappingId, shardId) } },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: namesIn([update, condition]),
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const current = (error as { Item?: Record<string, AttributeValue> }).Item;
      if (
        fence !== undefined &&
        (current?.leaseOwner?.S !== fence.workerId || current.leaseToken?.S !== fence.token)
      ) {
        throw new LeaseLostError(shardId, fence.workerId);
      }
      throw new CheckpointRegressionError(shardId, describeCheckpoint(current), sequenceNumber ?? '(none)');
    }
  }

  protected override async _list(): Promise<CheckpointEntry[]> {
    const entries: CheckpointEntry[] = [];
    // An operator's listing, not a hot path: a consistent Scan of the whole table.
    for await (const page of paginateScan(
      { client: this.client },
      { TableName: this.tableName, ConsistentRead: true },
    )) {
      for (const item of page.Items ?? []) {
        const mappingId = item.mappingId?.S;
        const shardId = item.shardId?.S;
        // Shard items only: the worker registry (`<mappingId>#$workers`) has neither.
        if (mappingId === undefined || shardId === undefined) continue;
        const sequenceNumber = item.checkpoint?.S;
        const shardEnded = item.shardEnded?.BOOL;
        const leaseOwner = item.leaseOwner?.S;
        entries.push({
          mappingId,
          shardId,
          checkpoint: {
            ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
            ...(shardEnded === undefined ? {} : { shardEnded }),
          },
          ...(leaseOwner === undefined ? {} : { leaseOwner }),
        });
      }
    }
    return entries;
  }

  /** The checkpoint as given, with no condition: leases and the lease fence are left as they are. */
  protected override async _overwrite(
    mappingId: string,
    shardId: string,
    checkpoint: Checkpoint,
  ): Promise<void> {
    const values: Record<string, AttributeValue> = {
      ':mappingId': { S: mappingId },
      ':shardId': { S: shardId },
    };
    const set = ['#mappingId = :mappingId', '#shardId = :shardId'];
    const remove: string[] = [];
    if (checkpoint.sequenceNumber === undefined) remove.push('#checkpoint', '#checkpointOrder');
    else {
      set.push('#checkpoint = :checkpoint', '#checkpointOrder = :order');
      values[':checkpoint'] = { S: checkpoint.sequenceNumber };
      values[':order'] = { S: toOrder(checkpoint.sequenceNumber) };
    }
    if (checkpoint.shardEnded === undefined) remove.push('#shardEnded');
    else {
      set.push('#shardEnded = :shardEnded');
      values[':shardEnded'] = { BOOL: checkpoint.shardEnded };
    }
    const update = `SET ${set.join(', ')}${remove.length === 0 ? '' : ` REMOVE ${remove.join(', ')}`}`;
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { [TABLE_KEY]: { S: shardItemKey(mappingId, shardId) } },
        UpdateExpression: update,
        ExpressionAttributeNames: namesIn([update]),
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** The lease this write must hold, or undefined when the store is not fenced. */
  #fence(mappingId: string, shardId: string): { workerId: string; token: string } | undefined {
    if (this.#leaseFence === undefined) return undefined;
    const { workerId } = this.#leaseFence;
    const token = this.#leaseFence.tokenFor(mappingId, shardId);
    if (token === undefined) throw new LeaseLostError(shardId, workerId);
    return { workerId, token };
  }
}

export type { DynamoDBCheckpointStoreOptions, LeaseFence };
export { DynamoDBCheckpointStore };
