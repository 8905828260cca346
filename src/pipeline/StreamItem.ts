import type { NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeMap } from '../records/attributeValue.js';
import { isSnapshotRecord } from '../records/isSnapshotRecord.js';
import type { EventName } from '../records/streamRecord.js';
import { unmarshallImage } from '../records/unmarshallImage.js';

/**
 * A DynamoDB item as plain JavaScript values (unmarshalled): what images and keys are in a `StreamItem`.
 *
 * @example
 * type Order = { orderId: string; total?: number }; // a type alias is an Item; an interface needs an index signature
 */
type Item = Record<string, NativeAttributeValue>;

/**
 * One stream record as a handler pipeline sees it: the event name, the sequence number, and the keys and
 * images unmarshalled to plain objects. `record` is the untouched Lambda record.
 *
 * @example
 * defineStreamHandler<Order>(processEach((item: StreamItem<Order>) => index(item.keys, item.newImage)));
 */
interface StreamItem<T extends Item = Item> {
  readonly eventName: EventName;
  readonly sequenceNumber: string;
  /** Identifies the item across records: equal for every record of the same item. */
  readonly itemKey: string;
  readonly keys: Item;
  readonly newImage: T | undefined;
  readonly oldImage: T | undefined;
  /** Epoch seconds at which the change was written. */
  readonly approximateCreationDateTime: number | undefined;
  /**
   * A bootstrap snapshot record (`bootstrap`, `eddy bootstrap`): an INSERT carrying the item's whole state at
   * the bootstrap's cut, not a change; it orders before every stream record of the item. Unset for stream records.
   */
  readonly snapshot?: true;
  readonly record: DynamoDBRecord;
}

/** A stable identity for an item: its key attributes in name order, as wire JSON. */
const itemKeyOf = (keys: AttributeMap): string =>
  JSON.stringify(
    Object.keys(keys)
      .sort()
      .map((name) => [name, keys[name]]),
  );

/**
 * Decodes one Lambda DynamoDB stream record into the `StreamItem` pipelines see: plain keys and images, event name and sequence number.
 *
 * @example
 * const item = toStreamItem<Order>(event.Records[0]);
 * console.log(item.eventName, item.newImage?.orderId);
 */
const toStreamItem = <T extends Item = Item>(record: DynamoDBRecord): StreamItem<T> => {
  const data = record.dynamodb ?? {};
  const keys = (data.Keys ?? {}) as AttributeMap;
  return {
    eventName: record.eventName as EventName,
    sequenceNumber: data.SequenceNumber ?? '',
    itemKey: itemKeyOf(keys),
    keys: unmarshallImage(keys),
    newImage: data.NewImage === undefined ? undefined : unmarshallImage<T>(data.NewImage as AttributeMap),
    oldImage: data.OldImage === undefined ? undefined : unmarshallImage<T>(data.OldImage as AttributeMap),
    approximateCreationDateTime: data.ApproximateCreationDateTime,
    ...(isSnapshotRecord(record) ? { snapshot: true as const } : {}),
    record,
  };
};

export type { Item, StreamItem };
export { itemKeyOf, toStreamItem };
