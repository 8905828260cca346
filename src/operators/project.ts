import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { OperatorFunction } from 'rxjs';
import { MissingImageError } from '../pipeline/errors.js';
import { type RecordOutcome, SUPERSEDED } from '../pipeline/RecordOutcome.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';
import type { Clock } from '../time/clock.js';
import { type CollectionTtl, checkCollectionTtl, collectionAttributes } from './collectionTtl.js';
import { TOMBSTONE_ATTRIBUTE } from './isTombstone.js';
import { type ProcessEachOptions, processEach } from './processEach.js';
import { projectInStatements } from './projectInStatements.js';
import { projectInTransactions } from './projectInTransactions.js';
import { checkProjectWrites, type ProjectWrites } from './projectWrites.js';
import { sortableSequence } from './sortableSequence.js';
import type { ViewPut } from './viewRows.js';
import { VIEW_SHAPE_ATTRIBUTE, viewShape } from './viewShape.js';

/**
 * The attribute of a view row that holds the sequence number of the source record it reflects.
 *
 * @example
 * const { [SOURCE_SEQUENCE_ATTRIBUTE]: _sequence, ...view } = unmarshall(row); // the row without its bookkeeping
 */
const SOURCE_SEQUENCE_ATTRIBUTE = 'eddy_source_sequence';

/**
 * The view table, how a source item becomes its view row, and how long tombstones are kept.
 *
 * @example
 * project<Order>({
 *   client,
 *   tableName: 'order-view',
 *   view: (order) => ({ orderId: order.orderId, status: order.status ?? 'NEW' }),
 *   tombstoneTtl: { attribute: 'expiresAt', seconds: 7 * 24 * 60 * 60 },
 * });
 */
interface ProjectOptions<T extends Item> extends ProcessEachOptions {
  readonly client: DynamoDBClient;
  /** The view table. */
  readonly tableName: string;
  /**
   * The view row for a source item, or undefined when the item should have no row (its row becomes a
   * tombstone). Must include the view's key, and that key must be a function of the source item's key: one
   * source item, one view row. With `writes: 'statements'` it is also called with a record's old image, to
   * know which attributes the row it replaces has: keep it a function of the image, without side effects.
   */
  readonly view: (image: T, item: StreamItem<T>) => Item | undefined;
  /** The view row's key for a source item's keys (used for tombstones). @default the source keys */
  readonly viewKey?: (keys: Item) => Item;
  /**
   * Lets the view table's Time to Live collect tombstones this long after the delete. Without it tombstones
   * stay (one small row per deleted item). @default tombstones are kept
   */
  readonly tombstoneTtl?: CollectionTtl;
  /**
   * How a batch's rows are written; all three keep every guarantee below, they differ in round trips and cost
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html).
   *
   * - `'statements'` (the default): the batch's rows, one per source item (an item's records in the batch
   *   collapse into its last one, which is the row they end in), as conditional PartiQL writes, 25 per
   *   BatchExecuteStatement, four requests in flight. Each statement is billed as the single write it is: 1
   *   write capacity unit per KB of row, per row, so a batch costs what `'each'` costs, or less, in a
   *   twenty-fifth of the round trips. A row the statements cannot settle (an UPDATE finding no row, an INSERT
   *   finding one, as in a replay) is written by the conditional PutItem of `'each'`, which then costs the
   *   refused statement too. Rows carry `eddy_view_shape` (a hash of their attribute names) so that an UPDATE
   *   only replaces a row of the same attributes; a row whose names change (a delete's tombstone, an attribute
   *   gained or lost) is replaced in the same request, the names to remove known from the old image's row.
   *   The function's role needs `dynamodb:PartiQLInsert` and `dynamodb:PartiQLUpdate` on the view table
   *   besides `dynamodb:PutItem`; without them it writes each row with PutItem and says so once on the console.
   * - `'each'`: one conditional PutItem per record, `concurrency` items at a time. 1 write capacity unit per
   *   KB of row, per record.
   * - `'transactions'`: the rows in TransactWriteItems of up to 100, the same condition on each, at twice the
   *   capacity: a transactional write consumes 2 write capacity units per KB of row
   *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling).
   *   A row refused by its condition (a newer record already landed) cancels the transaction; the other rows
   *   are sent again without it. Four transactions of a batch are in flight at once.
   *
   * @default 'statements'
   */
  readonly writes?: ProjectWrites;
  /** What the backoffs between attempts of a cancelled transaction sleep on. @default systemClock */
  readonly clock?: Clock;
}

/**
 * Materialises records into a view table, one row per source item, so that duplicates, redeliveries and replays
 * never move a row backwards and deletes stay deleted.
 *
 * - INSERT and MODIFY put the row that `view` makes of the new image.
 * - REMOVE (or `view` returning undefined) puts a **tombstone** in its place: the view key,
 *   `eddy_deleted: true`, and, with `tombstoneTtl`, the TTL attribute. The row is not deleted, because a deleted
 *   row remembers nothing: a replayed older INSERT would bring it back.
 * - Every row carries `eddy_source_sequence`, the (zero-padded) sequence number of the record it reflects, and
 *   every write is conditional on the row reflecting an older record. A write refused by that condition is a
 *   success: a newer record already landed. Records of one item keep their stream order, so the row only
 *   moves forward, and replaying the stream from TRIM_HORIZON, into this table or an empty one, ends in the
 *   same rows (tombstones and their TTL included: the expiry is derived from the record, not the clock).
 *
 * Reading the view: a tombstone means "no row". Check GetItem results with `isTombstone`, and leave tombstones
 * out of a Query or Scan with `FilterExpression: 'attribute_not_exists(eddy_deleted)'`.
 *
 * Needs a stream with NEW_IMAGE or NEW_AND_OLD_IMAGES; an INSERT or MODIFY without a new image fails with a
 * `MissingImageError` naming the stream's StreamViewType.
 *
 * ```
 * records:  --I(o1,#1)--M(o1,#2)--R(o1,#3)--I(o1,#1) (replayed)--|
 * view o1:  --row#1-----row#2-----tomb#3----tomb#3 (the replay is refused)
 * ```
 *
 * @example
 * project({ client, tableName: 'order-view', view: (order) => ({ orderId: order.orderId, total: order.total }) })
 */
const project = <T extends Item = Item>(
  options: ProjectOptions<T>,
): OperatorFunction<StreamItem<T>, RecordOutcome> => {
  checkCollectionTtl(options.tombstoneTtl, 'project: tombstoneTtl');
  checkProjectWrites(options.writes);
  if (options.writes === 'transactions') {
    return projectInTransactions<T>(options, (item) => viewPutOf(item, options, false));
  }
  if (options.writes === undefined || options.writes === 'statements') {
    return projectInStatements<T>(
      options,
      (item) => viewPutOf(item, options, true),
      SOURCE_SEQUENCE_ATTRIBUTE,
    );
  }
  return processEach<T>(async (item) => {
    try {
      await options.client.send(new PutItemCommand(viewPutOf(item, options, false).put));
    } catch (error) {
      // The view already reflects a newer record: a success that changed nothing.
      if (error instanceof ConditionalCheckFailedException) return SUPERSEDED;
      throw error;
    }
    return undefined;
  }, options);
};

/**
 * The conditional put that makes a record's view row (or tombstone), the same in every write mode, and the view
 * key's attribute names; `withShape` adds the row's shape (for `writes: 'statements'`). Throws a
 * `MissingImageError` for an INSERT or MODIFY without a new image, and whatever `view` throws.
 */
const viewPutOf = <T extends Item>(
  item: StreamItem<T>,
  options: ProjectOptions<T>,
  withShape: boolean,
): ViewPut => {
  const sequence = sortableSequence(item.sequenceNumber, item.snapshot);
  let row: Item | undefined;
  if (item.eventName !== 'REMOVE') {
    if (item.newImage === undefined) {
      throw new MissingImageError(item, 'NewImage', 'project', ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES']);
    }
    row = options.view(item.newImage, item);
  }
  const key = options.viewKey?.(item.keys) ?? item.keys;
  const written = row ?? tombstone(key, options.tombstoneTtl, item.approximateCreationDateTime);
  const marshalled = marshall(
    { ...written, [SOURCE_SEQUENCE_ATTRIBUTE]: sequence },
    { removeUndefinedValues: true },
  );
  if (withShape) marshalled[VIEW_SHAPE_ATTRIBUTE] = { S: viewShape(Object.keys(marshalled)) };
  return {
    ...(withShape ? { priorNames: () => priorRowNames(item, options, key) } : {}),
    put: {
      TableName: options.tableName,
      Item: marshalled,
      ConditionExpression: 'attribute_not_exists(#seq) OR #seq < :seq',
      ExpressionAttributeNames: { '#seq': SOURCE_SEQUENCE_ATTRIBUTE },
      ExpressionAttributeValues: { ':seq': { S: sequence } },
    },
    keyNames: Object.keys(key),
  };
};

/** The row left where a view row was deleted: its key, the mark, and the TTL attribute. */
/**
 * The attribute names of the row the item had before this record (the view of its old image, or its tombstone),
 * or undefined when that is not known: an INSERT (no row, or a tombstone of an earlier delete), a stream without
 * old images, a view that throws on the old image. Only the names matter, and a guess that is wrong only costs
 * a refused statement: the statement is conditioned on the row having exactly these names.
 */
const priorRowNames = <T extends Item>(
  item: StreamItem<T>,
  options: ProjectOptions<T>,
  key: Item,
): string[] | undefined => {
  if (item.eventName === 'INSERT' || item.oldImage === undefined) return undefined;
  let prior: Item | undefined;
  try {
    prior = options.view(item.oldImage, item);
  } catch {
    return undefined;
  }
  const written = prior ?? tombstone(key, options.tombstoneTtl, item.approximateCreationDateTime);
  // As marshall({ removeUndefinedValues: true }) writes it, with the bookkeeping attributes.
  const names = Object.keys(written).filter((name) => written[name] !== undefined);
  names.push(SOURCE_SEQUENCE_ATTRIBUTE, VIEW_SHAPE_ATTRIBUTE);
  return names;
};

const tombstone = (key: Item, ttl: CollectionTtl | undefined, createdAt: number | undefined): Item => ({
  ...key,
  [TOMBSTONE_ATTRIBUTE]: true,
  ...collectionAttributes(ttl, createdAt ?? Date.now() / 1000),
});

export type { ProjectOptions };
export { project, SOURCE_SEQUENCE_ATTRIBUTE };
