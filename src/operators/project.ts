import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { OperatorFunction } from 'rxjs';
import type { RecordOutcome } from '../handler/RecordOutcome.js';
import type { Item, StreamItem } from '../handler/StreamItem.js';
import { type ProcessEachOptions, processEach } from './processEach.js';

/** The attribute of a view row that holds the sequence number of the source record it reflects. */
const SOURCE_SEQUENCE_ATTRIBUTE = 'eddy_source_sequence';

interface ProjectOptions<T extends Item> extends ProcessEachOptions {
  readonly client: DynamoDBClient;
  /** The view table. */
  readonly tableName: string;
  /** The view row for a source item, or undefined when the item should have no row. Must include the view's key. */
  readonly view: (image: T, item: StreamItem<T>) => Item | undefined;
  /** The view row's key for a source item's keys (used for deletes). @default the source keys */
  readonly viewKey?: (keys: Item) => Item;
}

/**
 * Sequence numbers are up to 40 digits, more than a DynamoDB number holds, so they are stored as
 * zero-padded strings that sort like the numbers.
 */
const sortableSequence = (sequenceNumber: string): string => sequenceNumber.padStart(40, '0');

/**
 * Materialises records into a view table: INSERT and MODIFY put the view row, REMOVE deletes it. Each write
 * is conditional on the row reflecting an older source record, so a duplicate or a redelivered record never
 * moves the view backwards; a write refused by that condition is a success (a newer record already landed).
 *
 * Needs a stream with NEW_IMAGE or NEW_AND_OLD_IMAGES.
 *
 * @example
 * project({ client, tableName: 'order-view', view: (order) => ({ orderId: order.orderId, total: order.total }) })
 */
const project = <T extends Item = Item>(
  options: ProjectOptions<T>,
): OperatorFunction<StreamItem<T>, RecordOutcome> =>
  processEach<T>(async (item) => {
    const sequence = sortableSequence(item.sequenceNumber);
    const guard = {
      ConditionExpression: 'attribute_not_exists(#seq) OR #seq < :seq',
      ExpressionAttributeNames: { '#seq': SOURCE_SEQUENCE_ATTRIBUTE },
      ExpressionAttributeValues: marshall({ ':seq': sequence }),
    };
    let row: Item | undefined;
    if (item.eventName !== 'REMOVE') {
      if (item.newImage === undefined) {
        throw new Error(
          `project needs the stream's NewImage: set StreamViewType to NEW_IMAGE or NEW_AND_OLD_IMAGES (record ${item.sequenceNumber} has none)`,
        );
      }
      row = options.view(item.newImage, item);
    }
    try {
      if (row === undefined) {
        const key = options.viewKey?.(item.keys) ?? item.keys;
        await options.client.send(
          new DeleteItemCommand({
            TableName: options.tableName,
            Key: marshall(key, { removeUndefinedValues: true }),
            ...guard,
          }),
        );
      } else {
        await options.client.send(
          new PutItemCommand({
            TableName: options.tableName,
            Item: marshall(
              { ...row, [SOURCE_SEQUENCE_ATTRIBUTE]: sequence },
              { removeUndefinedValues: true },
            ),
            ...guard,
          }),
        );
      }
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return; // the view already reflects a newer record
      throw error;
    }
  }, options);

export type { ProjectOptions };
export { project, SOURCE_SEQUENCE_ATTRIBUTE };
