import { randomBytes } from 'node:crypto';
import { streamArn, streamLabelAt } from '../../../src/records/arn.js';
import type { StreamRecord, StreamViewType } from '../../../src/records/streamRecord.js';
import type { Clock } from '../../../src/time/clock.js';
import type { ItemChange } from '../dynamodb/ItemChange.js';
import { captureChange } from './changeCapture.js';
import type { SequenceNumbers } from './SequenceNumbers.js';
import { Shard } from './Shard.js';

interface StreamOptions {
  readonly region: string;
  readonly accountId: string;
  readonly tableName: string;
  readonly keySchema: readonly { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  readonly viewType: StreamViewType;
  readonly clock: Clock;
  readonly sequenceNumbers: SequenceNumbers;
  /** Told after every append: the in-process wake-up hint for local consumers. */
  readonly onRecord: (stream: Stream, shard: Shard, record: StreamRecord) => void;
}

/** `shardId-<20-digit creation epoch ms>-<8 hex>`, AWS's format (streams-spec.md §2.5). */
const newShardId = (now: number): string =>
  `shardId-${String(now).padStart(20, '0')}-${randomBytes(4).toString('hex')}`;

/**
 * One DynamoDB stream of one table: its shards, oldest first, and the records written to them. A stream is
 * ENABLED while its table writes to it; once disabled its shards are closed but stay readable.
 */
class Stream {
  readonly arn: string;
  readonly label: string;
  readonly tableName: string;
  readonly keySchema: StreamOptions['keySchema'];
  readonly viewType: StreamViewType;
  readonly createdAt: number;
  readonly region: string;
  #status: 'ENABLED' | 'DISABLED' = 'ENABLED';
  readonly #shards: Shard[] = [];
  readonly #options: StreamOptions;

  constructor(options: StreamOptions) {
    this.#options = options;
    this.createdAt = options.clock.now();
    this.label = streamLabelAt(this.createdAt);
    this.arn = streamArn(options.region, options.accountId, options.tableName, this.label);
    this.tableName = options.tableName;
    this.keySchema = options.keySchema;
    this.viewType = options.viewType;
    this.region = options.region;
    this.#shards.push(new Shard(newShardId(this.createdAt), options.sequenceNumbers.peek()));
  }

  get status(): 'ENABLED' | 'DISABLED' {
    return this.#status;
  }

  get shards(): readonly Shard[] {
    return this.#shards;
  }

  shard(id: string): Shard | undefined {
    return this.#shards.find((s) => s.id === id);
  }

  /** ③ Writes the record for one item change into the open shard. */
  append(change: ItemChange): StreamRecord {
    const shard = this.#shards.find((s) => s.isOpen);
    if (shard === undefined || this.#status !== 'ENABLED')
      throw new Error(`stream ${this.arn} is not enabled`);
    const sequence = this.#options.sequenceNumbers.next();
    const record = captureChange(change, {
      viewType: this.viewType,
      region: this.region,
      sequenceNumber: sequence.text,
      eventId: randomBytes(16).toString('hex'),
      now: this.#options.clock.now(),
    });
    shard.append(record, sequence.value);
    this.#options.onRecord(this, shard, record);
    return record;
  }

  /** Closes every open shard; the records stay readable. */
  disable(): void {
    this.#status = 'DISABLED';
    for (const shard of this.#shards) shard.close();
  }
}

export type { StreamOptions };
export { Stream };
