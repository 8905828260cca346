import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '../../records/attributeValue.js';
import { toSdkMap } from '../../records/wireRecord.js';
import { REPLICATION_ATTRIBUTES } from './stampForReplication.js';

/** The version of one write of a replicated item. Versions are totally ordered: see {@link compareStamps}. */
interface Stamp {
  readonly version: number;
  readonly origin: string;
  readonly writeId: string;
}

/** The stamp of a wire image, or undefined when it has none (a write made without `stampForReplication`). */
const stampOf = (image: AttributeMap | undefined): Stamp | undefined => {
  const origin = image?.[REPLICATION_ATTRIBUTES.origin];
  const version = image?.[REPLICATION_ATTRIBUTES.version];
  const writeId = image?.[REPLICATION_ATTRIBUTES.writeId];
  if (origin === undefined || !('S' in origin) || version === undefined || !('N' in version))
    return undefined;
  return {
    version: Number(version.N),
    origin: origin.S,
    writeId: writeId !== undefined && 'S' in writeId ? writeId.S : '',
  };
};

/** Strings compare as DynamoDB compares them in conditions: by their UTF-8 bytes. */
const compareText = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Last writer wins: the higher version, then the higher origin region, then the higher write id. */
const compareStamps = (a: Stamp, b: Stamp): number =>
  a.version !== b.version
    ? Math.sign(a.version - b.version)
    : compareText(a.origin, b.origin) || compareText(a.writeId, b.writeId);

/**
 * Puts `image` unless the table's item has a stamp at least as high: the conditional write that makes the
 * replicator last-writer-wins and idempotent (writing the same version twice changes nothing). An item without
 * a stamp loses to any stamped one. Returns whether it wrote.
 */
const putIfNewer = async (
  client: DynamoDBClient,
  tableName: string,
  image: AttributeMap,
  stamp: Stamp,
): Promise<boolean> => {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: toSdkMap(image),
        ConditionExpression:
          'attribute_not_exists(#v) OR #v < :v OR (#v = :v AND (#o < :o OR (#o = :o AND ' +
          '(attribute_not_exists(#w) OR #w < :w))))',
        ExpressionAttributeNames: {
          '#v': REPLICATION_ATTRIBUTES.version,
          '#o': REPLICATION_ATTRIBUTES.origin,
          '#w': REPLICATION_ATTRIBUTES.writeId,
        },
        ExpressionAttributeValues: {
          ':v': { N: String(stamp.version) },
          ':o': { S: stamp.origin },
          ':w': { S: stamp.writeId },
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

export type { Stamp };
export { compareStamps, putIfNewer, stampOf };
