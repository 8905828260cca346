import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type StreamItem, toStreamItem } from '../../src/pipeline/StreamItem.js';
import type { AttributeMap } from '../../src/records/attributeValue.js';
import { itemSize } from '../../src/records/itemSize.js';

let counter = 0;

/** A Lambda DynamoDB record as AWS delivers it, for unit tests of handlers and operators. */
const lambdaRecord = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  keys: Record<string, unknown>,
  images: { newImage?: Record<string, unknown>; oldImage?: Record<string, unknown> } = {},
  sequenceNumber = String(100000000000000000000n + BigInt(++counter)),
): DynamoDBRecord => {
  const Keys = marshall(keys) as AttributeMap;
  const NewImage = images.newImage === undefined ? undefined : (marshall(images.newImage) as AttributeMap);
  const OldImage = images.oldImage === undefined ? undefined : (marshall(images.oldImage) as AttributeMap);
  return {
    eventID: sequenceNumber.slice(-32).padStart(32, '0'),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1767225600,
      Keys,
      ...(NewImage === undefined ? {} : { NewImage }),
      ...(OldImage === undefined ? {} : { OldImage }),
      SequenceNumber: sequenceNumber,
      SizeBytes: itemSize(Keys) + (NewImage ? itemSize(NewImage) : 0) + (OldImage ? itemSize(OldImage) : 0),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000',
  } as DynamoDBRecord;
};

const streamItem = (...args: Parameters<typeof lambdaRecord>): StreamItem =>
  toStreamItem(lambdaRecord(...args));

export { lambdaRecord, streamItem };
