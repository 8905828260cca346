import type { DynamoDBRecord } from 'aws-lambda';
import { compareSequenceNumbers } from '../records/sequenceNumber.js';
import type { RecordSource, ShardPage, ShardReader, SourceShard } from '../runtime/sources/RecordSource.js';
import type { StartAt } from '../runtime/sources/StartAt.js';

const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';

/**
 * Records already read (a redrive's failed ranges) as a finite source: one closed shard per shard they came
 * from, each read in sequence order and then ended, so the runtime's stages process them as they process a
 * live shard.
 *
 * @example
 * const source = new RecordsSource(new Map([['shardId-1', records]]));
 */
class RecordsSource implements RecordSource {
  readonly finite = true;
  readonly #shards: ReadonlyMap<string, readonly DynamoDBRecord[]>;

  constructor(shards: ReadonlyMap<string, readonly DynamoDBRecord[]>) {
    this.#shards = new Map(
      [...shards].map(([shardId, records]) => [
        shardId,
        [...records].sort((a, b) => compareSequenceNumbers(sequenceOf(a), sequenceOf(b))),
      ]),
    );
  }

  async listShards(): Promise<SourceShard[]> {
    return [...this.#shards.keys()].map((shardId) => ({ shardId, closed: true }));
  }

  reader(shardId: string, startAt: StartAt): ShardReader {
    const all = this.#shards.get(shardId) ?? [];
    let next =
      startAt.type === 'LATEST'
        ? all.length
        : startAt.type === 'AFTER_SEQUENCE_NUMBER'
          ? all.findIndex((r) => compareSequenceNumbers(sequenceOf(r), startAt.sequenceNumber) > 0)
          : 0;
    if (next < 0) next = all.length;
    return {
      open: async () => undefined,
      read: async (limit: number): Promise<ShardPage> => {
        const records = all.slice(next, next + limit);
        next += records.length;
        return { records, ended: next >= all.length };
      },
    };
  }
}

export { RecordsSource };
