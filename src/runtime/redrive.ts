import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { batchOfRange } from '../redrive/batchOfRange.js';
import type { FailedRange } from '../redrive/FailedRange.js';
import { planRedrive } from '../redrive/planRedrive.js';
import { RecordsSource } from '../redrive/RecordsSource.js';
import { readFailedRange } from '../redrive/readFailedRange.js';
import { type Clock, systemClock } from '../time/clock.js';
import type { MappingConfigInput, ResolvedMappingConfig } from './config/resolveMappingConfig.js';
import type { OnFailureDestination } from './failures/destinations/OnFailureDestination.js';
import type { FunctionInvoker } from './invocation/FunctionInvoker.js';
import { inProcessInvoker, type StreamHandlerFunction } from './invocation/inProcessInvoker.js';
import { pacedInvoker } from './invocation/pacedInvoker.js';
import type { InvocationReport } from './observability/InvocationReport.js';
import type { Logger } from './observability/logger.js';
import { replay } from './replay.js';

/**
 * What `redrive` is given: the failed ranges (from `failedRangesInFile` or `failedRangesInQueue`), a streams
 * client to read them with, the function (an invoker or a handler) and the mapping's settings.
 *
 * @example
 * const options: RedriveOptions = { ranges, client: new DynamoDBStreamsClient({}), handler, config: { BatchSize: 100 } };
 */
interface RedriveOptions {
  /** The failed ranges; a range that carries its `records` (an S3 destination's payload) is not read again. */
  readonly ranges: readonly FailedRange[];
  readonly client: DynamoDBStreamsClient;
  readonly invoker?: FunctionInvoker;
  readonly handler?: StreamHandlerFunction;
  /** The mapping's settings (SAM names): batching, retries, bisect, partial responses apply as live. */
  readonly config?: MappingConfigInput | ResolvedMappingConfig;
  /**
   * At most this many records a second on average go to the function (`eddy redrive --rate`), so a redrive
   * does not flood the tables it writes to. @default no limit
   */
  readonly rate?: number;
  /** Where records that fail again go. */
  readonly onFailure?: OnFailureDestination;
  readonly clock?: Clock;
  /** Stops the redrive: batches in flight finish; the summary says it did not complete. */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  readonly onInvocation?: (report: InvocationReport) => void;
  /** Told of each range: read (with its records), lost (why), or read with a count that differs. */
  readonly onRange?: (range: FailedRange, outcome: RangeOutcome) => void;
}

/**
 * What became of one failed range.
 *
 * @example
 * const say = (range: FailedRange, outcome: RangeOutcome) => console.log(range.from, outcome.kind);
 */
type RangeOutcome =
  | { readonly kind: 'read'; readonly records: number; readonly mismatch?: string }
  | { readonly kind: 'lost'; readonly reason: string }
  | { readonly kind: 'duplicate' };

/**
 * What a redrive did: ranges read, lost (past retention, or gone) and named twice; then the records sent
 * through the function and how that went.
 *
 * @example
 * const { lost, records, failures } = await redrive(options);
 */
interface RedriveSummary {
  readonly ranges: number;
  readonly read: number;
  readonly lost: readonly { readonly range: FailedRange; readonly reason: string }[];
  readonly mismatched: readonly { readonly range: FailedRange; readonly mismatch: string }[];
  readonly duplicates: number;
  readonly records: number;
  readonly invocations: number;
  readonly failures: number;
  readonly discarded: number;
  /** Records skipped because their effect was already in place (a projection had moved past their keys). */
  readonly superseded: number;
  /** Every range that could be read was processed to its end. */
  readonly completed: boolean;
}

/**
 * Turns on-failure records back into processing, as AWS tells users to do by hand: each failed range is read
 * from its stream (AT_SEQUENCE_NUMBER its first record, up to its last; only the failed batch's lane under
 * ParallelizationFactor) and its records go through the function with the mapping's settings, through the
 * same runtime stages as live processing, with their own checkpoints
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html). Ranges past the stream's 24 h
 * retention are reported as lost, never skipped silently; a range named twice is read once. Records whose effect
 * is already in place (a projection's row reflects a newer record of the key, because live processing moved
 * on) are skipped by the handler and counted in `superseded`, not applied again.
 *
 * @example
 * const summary = await redrive({
 *   ranges: await failedRangesInFile('.eddy/failures/OrdersProjection.jsonl'),
 *   client: new DynamoDBStreamsClient({ endpoint: 'http://127.0.0.1:8000' }),
 *   handler,
 *   config: { BatchSize: 100 },
 * });
 */
const redrive = async (options: RedriveOptions): Promise<RedriveSummary> => {
  const clock = options.clock ?? systemClock;
  if (options.rate !== undefined && !(options.rate > 0)) {
    throw new RangeError(`redrive: rate is records per second, above 0; got ${options.rate}`);
  }
  const given =
    options.invoker ??
    (options.handler === undefined ? undefined : inProcessInvoker(options.handler, { clock }));
  const invoker =
    given === undefined || options.rate === undefined ? given : pacedInvoker(given, options.rate, clock);
  const plan = planRedrive(options.ranges, { now: clock.now() });
  const lost = [...plan.lost];
  const mismatched: { range: FailedRange; mismatch: string }[] = [];
  for (const { range, reason } of plan.lost) options.onRange?.(range, { kind: 'lost', reason });
  for (const range of plan.duplicates) options.onRange?.(range, { kind: 'duplicate' });
  const factor = Number(
    (options.config as { ParallelizationFactor?: unknown } | undefined)?.ParallelizationFactor ?? 1,
  );
  // Records by stream, then shard: each stream is one replay (its events name it).
  const byStream = new Map<string, Map<string, DynamoDBRecord[]>>();
  let read = 0;
  for (const range of plan.toRead) {
    const result: { kind: 'read'; records: readonly DynamoDBRecord[] } | { kind: 'lost'; reason: string } =
      range.records !== undefined
        ? { kind: 'read', records: range.records }
        : await readFailedRange(options.client, range, { clock });
    if (result.kind === 'lost') {
      lost.push({ range, reason: result.reason });
      options.onRange?.(range, { kind: 'lost', reason: result.reason });
      continue;
    }
    const batch = batchOfRange(result.records, range, factor);
    read += 1;
    if (batch.mismatch !== undefined) mismatched.push({ range, mismatch: batch.mismatch });
    options.onRange?.(range, {
      kind: 'read',
      records: batch.records.length,
      ...(batch.mismatch === undefined ? {} : { mismatch: batch.mismatch }),
    });
    const shards = byStream.get(range.streamArn) ?? new Map<string, DynamoDBRecord[]>();
    byStream.set(range.streamArn, shards);
    const records = shards.get(range.shardId) ?? [];
    // Ranges of one shard may overlap (a bisected batch reported in parts): each record once.
    const seen = new Set(records.map((r) => r.dynamodb?.SequenceNumber));
    for (const record of batch.records) if (!seen.has(record.dynamodb?.SequenceNumber)) records.push(record);
    shards.set(range.shardId, records);
  }
  let records = 0;
  let invocations = 0;
  let failures = 0;
  let discarded = 0;
  let superseded = 0;
  let completed = true;
  for (const [streamArn, shards] of byStream) {
    if (options.signal?.aborted === true) {
      completed = false;
      break;
    }
    const summary = await replay({
      source: new RecordsSource(shards),
      streamArn,
      mappingId: 'redrive',
      ...(invoker === undefined ? {} : { invoker }),
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(options.onFailure === undefined ? {} : { onFailure: options.onFailure }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.onInvocation === undefined ? {} : { onInvocation: options.onInvocation }),
      clock,
    });
    records += summary.records;
    invocations += summary.invocations;
    failures += summary.failures;
    discarded += summary.discarded;
    superseded += summary.superseded;
    completed &&= summary.completed;
  }
  return {
    ranges: options.ranges.length,
    read,
    lost,
    mismatched,
    duplicates: plan.duplicates.length,
    records,
    invocations,
    failures,
    discarded,
    superseded,
    completed,
  };
};

export type { RangeOutcome, RedriveOptions, RedriveSummary };
export { redrive };
