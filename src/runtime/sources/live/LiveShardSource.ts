import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { Clock } from '../../../time/clock.js';
import type { Logger } from '../../observability/logger.js';
import type { MappingMetrics } from '../../observability/MappingMetrics.js';
import type { RecordSource, ShardReader, SourceShard } from '../RecordSource.js';
import type { StartAt } from '../StartAt.js';
import { LiveShardReader } from './LiveShardReader.js';

interface LiveShardSourceOptions {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly mappingId: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MappingMetrics;
}

/** A shard as DescribeStream lists it, as the stages see it. */
const sourceShardOf = (shard: Shard): SourceShard => ({
  shardId: shard.ShardId as string,
  ...(shard.ParentShardId === undefined ? {} : { parentShardId: shard.ParentShardId }),
  closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
});

/**
 * ④ A live DynamoDB stream as a record source: its shards from DescribeStream (every page), each read by a
 * `LiveShardReader` through the same SDK client, so it runs unchanged against the emulator, DynamoDB Local or AWS.
 */
class LiveShardSource implements RecordSource {
  readonly #o: LiveShardSourceOptions;

  constructor(options: LiveShardSourceOptions) {
    this.#o = options;
  }

  async listShards(): Promise<SourceShard[]> {
    const shards: SourceShard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.#o.client.send(
        new DescribeStreamCommand({
          StreamArn: this.#o.streamArn,
          ...(start === undefined ? {} : { ExclusiveStartShardId: start }),
        }),
      );
      shards.push(...(StreamDescription?.Shards ?? []).map(sourceShardOf));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    return shards;
  }

  reader(shardId: string, startAt: StartAt): ShardReader {
    return new LiveShardReader({ ...this.#o, shardId, startAt });
  }
}

export type { LiveShardSourceOptions };
export { LiveShardSource };
