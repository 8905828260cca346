import { ManualClock } from '../../src/time/clock.js';
import type { Emulator } from '../emulator/Emulator.js';
import type { Shard } from '../emulator/streams/Shard.js';
import type { Stream } from '../emulator/streams/Stream.js';
import { ITERATOR_LIFETIME_MS } from '../emulator/streams/shardIterator.js';

/**
 * How long before its 15 minutes an iterator counts as about to expire: a consumer that has not polled a shard
 * for ten minutes is stuck (a long invocation, a backoff), and its next GetRecords may fail with
 * ExpiredIteratorException (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html).
 */
const EXPIRY_WARNING_MS = 5 * 60 * 1000;

/** One shard as the streams view shows it. */
interface ShardView {
  readonly shardId: string;
  readonly parentShardId?: string;
  readonly open: boolean;
  /** Records kept (not yet trimmed). */
  readonly records: number;
  readonly createdAt: number;
  readonly closedAt?: number;
  readonly startingSequenceNumber: string;
  readonly endingSequenceNumber?: string;
  /** The position TRIM_HORIZON reads after. */
  readonly trimHorizon: string;
  /** When the newest iterator of the shard was handed out, and when it expires. */
  readonly iteratorIssuedAt?: number;
  readonly iteratorExpiresAt?: number;
  /** The newest iterator expires within EXPIRY_WARNING_MS (and was not expired by `expireIterators`). */
  readonly iteratorExpiring: boolean;
  readonly iteratorExpired: boolean;
}

interface StreamView {
  readonly streamArn: string;
  readonly tableName: string;
  readonly viewType: string;
  readonly status: 'ENABLED' | 'DISABLED';
  readonly createdAt: number;
  readonly shards: readonly ShardView[];
}

interface TableView {
  readonly tableName: string;
  readonly itemCount: number;
  readonly sizeBytes: number;
  readonly keySchema: readonly { readonly AttributeName: string; readonly KeyType: 'HASH' | 'RANGE' }[];
  readonly billingMode: string;
  /** The table's stream settings: StreamSpecification as DescribeTable gives it, and the latest stream. */
  readonly stream?: { readonly streamArn: string; readonly viewType: string; readonly enabled: boolean };
  readonly ttlAttribute?: string;
}

interface RegionView {
  readonly region: string;
  readonly accountId: string;
  readonly tables: readonly TableView[];
  readonly streams: readonly StreamView[];
}

/** The emulator's clock and test controls, as the control view shows them. */
interface ControlView {
  readonly now: number;
  /** Only a ManualClock can be moved (`advanceClock`). */
  readonly manualClock: boolean;
  readonly iteratorsValidFrom?: number;
  readonly faults: readonly {
    readonly operation: string;
    readonly kind: string;
    readonly remaining: number;
  }[];
}

const shardView = (shard: Shard, now: number, validFrom: number): ShardView => {
  const issuedAt = shard.lastIteratorIssuedAt;
  const expiresAt = issuedAt === undefined ? undefined : issuedAt + ITERATOR_LIFETIME_MS;
  const expired = issuedAt !== undefined && (issuedAt < validFrom || now >= (expiresAt as number));
  return {
    shardId: shard.id,
    ...(shard.parentId === undefined ? {} : { parentShardId: shard.parentId }),
    open: shard.isOpen,
    records: shard.size,
    createdAt: shard.createdAt,
    ...(shard.closedAt === undefined ? {} : { closedAt: shard.closedAt }),
    startingSequenceNumber: shard.startingSequence.toString(),
    ...(shard.endingSequence === undefined ? {} : { endingSequenceNumber: shard.endingSequence.toString() }),
    trimHorizon: shard.trimHorizon.toString(),
    ...(issuedAt === undefined ? {} : { iteratorIssuedAt: issuedAt, iteratorExpiresAt: expiresAt }),
    iteratorExpiring:
      !expired && expiresAt !== undefined && shard.isOpen && (expiresAt as number) - now <= EXPIRY_WARNING_MS,
    iteratorExpired: expired,
  };
};

const streamView = (stream: Stream, now: number, validFrom: number): StreamView => ({
  streamArn: stream.arn,
  tableName: stream.tableName,
  viewType: stream.viewType,
  status: stream.status,
  createdAt: stream.createdAt,
  shards: stream.shards.map((shard) => shardView(shard, now, validFrom)),
});

/**
 * The emulator's tables and streams in every region it holds, read from its state as it is (no request runs, so
 * a page's refresh changes nothing, spends no injected fault and rolls no shard over).
 *
 * @example
 * const regions = emulatorRegions(running.emulator);
 */
const emulatorRegions = (emulator: Emulator): RegionView[] => {
  const now = emulator.clock.now();
  const validFrom = emulator.control.iteratorsValidFrom;
  return emulator.regions().map((region) => ({
    region: region.name,
    accountId: region.accountId,
    tables: [...region.tables.values()]
      .map((table): TableView => {
        const latest = region.latestStreams.get(table.name);
        const ttl = region.tableStates.get(table)?.ttl;
        return {
          tableName: table.name,
          itemCount: table.itemCount,
          sizeBytes: table.sizeBytes,
          keySchema: table.definition.wireKeySchema,
          billingMode: table.definition.billingMode,
          ...(latest === undefined
            ? {}
            : {
                stream: {
                  streamArn: latest.arn,
                  viewType: latest.viewType,
                  enabled: latest.status === 'ENABLED',
                },
              }),
          ...(ttl?.attributeName === undefined ? {} : { ttlAttribute: ttl.attributeName }),
        };
      })
      .sort((a, b) => a.tableName.localeCompare(b.tableName)),
    streams: [...region.streams.values()].map((stream) => streamView(stream, now, validFrom)),
  }));
};

/**
 * The emulator's clock and the faults it will still answer with.
 *
 * @example
 * const { now, manualClock, faults } = emulatorControlView(running.emulator);
 */
const emulatorControlView = (emulator: Emulator): ControlView => {
  const validFrom = emulator.control.iteratorsValidFrom;
  return {
    now: emulator.clock.now(),
    manualClock: emulator.clock instanceof ManualClock,
    ...(Number.isFinite(validFrom) ? { iteratorsValidFrom: validFrom } : {}),
    faults: emulator.control.faults.pending(),
  };
};

export type { ControlView, RegionView, ShardView, StreamView, TableView };
export { EXPIRY_WARNING_MS, emulatorControlView, emulatorRegions };
