import { PassThrough } from 'node:stream';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { readTape } from '../../../tape/readTape.js';
import type { RecordFrom, RecordUntil } from '../../../tape/recordPositions.js';
import { recordStream } from '../../../tape/recordStream.js';
import type { Clock } from '../../../time/clock.js';
import { TapeSource, type TapeSourceOptions } from './TapeSource.js';

/**
 * A range of a live stream to replay: the stream, and where the range starts and ends, as `eddy record` takes
 * them (`parseRecordFrom`, `parseRecordUntil`).
 *
 * @example
 * const range: LiveRangeOptions = { client: new DynamoDBStreamsClient({}), streamArn,
 *   from: parseRecordFrom('2026-01-01T12:00:00Z'), until: parseRecordUntil('2026-01-01T13:00:00Z') };
 */
interface LiveRangeOptions extends TapeSourceOptions {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  readonly from: RecordFrom;
  /** `now` or a time: a range ends (`follow` is refused). */
  readonly until: RecordUntil;
  /** The endpoint the stream is read at (noted on the range's header), when not AWS's default. */
  readonly endpoint?: string;
  /** Stops reading: the range holds what was read so far. */
  readonly signal?: AbortSignal;
  /** The clock the range is read on (up to `until: now`) and paced on. @default systemClock */
  readonly clock?: Clock;
}

/**
 * ④ A bounded range of a live DynamoDB stream as a record source (`eddy replay --table T --from … --until …`):
 * the range is read through the SDK exactly as `eddy record` reads it (`recordStream`: parents first, from and
 * until by time or sequence number) into a `TapeSource` (spooled to a temporary file past `spoolAfter` records),
 * so the mapping over it ends when the range does.
 *
 * @example
 * import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
 * import { liveRangeSource, parseRecordFrom, parseRecordUntil, replay } from 'eddy/runtime';
 *
 * const source = await liveRangeSource({ client: new DynamoDBStreamsClient({}), streamArn,
 *   from: parseRecordFrom('2026-01-01T12:00:00Z'), until: parseRecordUntil('now') });
 * const summary = await replay({ source, handler, config: { BatchSize: 100 } });
 */
const liveRangeSource = async (options: LiveRangeOptions): Promise<TapeSource> => {
  if (options.until.kind === 'follow')
    throw new RangeError(
      `--until ${options.until.text}: a replayed range ends; give now or an ISO-8601 time`,
    );
  // The range is read as `eddy record` reads it and taken in as it comes: through a pipe, not a buffer, so a
  // large range spools to disk past `spoolAfter` records like a large tape.
  const pipe = new PassThrough();
  const loading = TapeSource.from(
    readTape(pipe, { name: `${options.streamArn} ${options.from.text}..${options.until.text}` }),
    {
      ...(options.speed === undefined ? {} : { speed: options.speed }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.spoolAfter === undefined ? {} : { spoolAfter: options.spoolAfter }),
    },
  );
  // Should the reading side fail, the writing side must not wait on a pipe nobody drains.
  loading.catch(() => pipe.destroy());
  try {
    // recordStream throws what stopped it (the records read before are lost with it: a range is all or nothing).
    await recordStream({
      client: options.client,
      streamArn: options.streamArn,
      out: { stream: pipe },
      from: options.from,
      until: options.until,
      tool: 'eddy replay',
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
  } catch (error) {
    pipe.destroy();
    await loading.then(
      (source) => source.close(),
      () => undefined,
    );
    throw error;
  }
  return loading;
};

export type { LiveRangeOptions };
export { liveRangeSource };
