import { isSequenceNumber } from '../records/sequenceNumber.js';

/**
 * Where `eddy record` starts in each shard: the oldest record (`trim-horizon`), only records written from now on
 * (`latest`), the first record created at or after a time (whole epoch seconds, as `ApproximateCreationDateTime`
 * has them), or the first record at or after a sequence number.
 *
 * @example
 * const from: RecordFrom = parseRecordFrom('2026-01-01T00:00:00Z'); // { kind: 'time', at: 1767225600000, text: '2026-01-01T00:00:00Z' }
 */
type RecordFrom =
  | { readonly kind: 'trim-horizon'; readonly text: string }
  | { readonly kind: 'latest'; readonly text: string }
  | { readonly kind: 'time'; readonly at: number; readonly text: string }
  | { readonly kind: 'sequence-number'; readonly sequenceNumber: string; readonly text: string };

/**
 * Where `eddy record` stops: once every shard is read up to the time it started (`now`) or up to a given time,
 * or never (`follow`: until stopped by a signal, following new shards as they open).
 *
 * @example
 * const until: RecordUntil = parseRecordUntil('now');
 */
type RecordUntil =
  | { readonly kind: 'now'; readonly text: string }
  | { readonly kind: 'time'; readonly at: number; readonly text: string }
  | { readonly kind: 'follow'; readonly text: string };

/** `2026-01-01T00:00:00Z`, `2026-01-01T00:00:00.000+02:00`, `2026-01-01` (midnight UTC). */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

const timeOf = (text: string): number | undefined => (ISO.test(text) ? Date.parse(text) : undefined);

/**
 * Reads `--from`: `trim-horizon`, `latest`, an ISO-8601 time with a zone (`2026-01-01T12:00:00Z`) or a
 * sequence number (21 to 40 digits). Throws a RangeError naming the flag and what it takes.
 *
 * @example
 * parseRecordFrom('trim-horizon'); // { kind: 'trim-horizon', text: 'trim-horizon' }
 * parseRecordFrom('yesterday'); // RangeError: --from yesterday: expected trim-horizon, latest, …
 */
const parseRecordFrom = (text: string): RecordFrom => {
  const value = text.trim();
  const lower = value.toLowerCase();
  if (lower === 'trim-horizon' || lower === 'trim_horizon') return { kind: 'trim-horizon', text: value };
  if (lower === 'latest') return { kind: 'latest', text: value };
  if (isSequenceNumber(value)) return { kind: 'sequence-number', sequenceNumber: value, text: value };
  const at = timeOf(value);
  if (at !== undefined && Number.isFinite(at)) return { kind: 'time', at, text: value };
  throw new RangeError(
    `--from ${text}: expected trim-horizon, latest, an ISO-8601 time with its zone (e.g. 2026-01-01T12:00:00Z) ` +
      'or a sequence number (21 to 40 digits)',
  );
};

/**
 * Reads `--until`: `now`, an ISO-8601 time with a zone, or `follow`. Throws a RangeError naming the flag and
 * what it takes.
 *
 * @example
 * parseRecordUntil('follow'); // { kind: 'follow', text: 'follow' }
 */
const parseRecordUntil = (text: string): RecordUntil => {
  const value = text.trim();
  const lower = value.toLowerCase();
  if (lower === 'now') return { kind: 'now', text: value };
  if (lower === 'follow') return { kind: 'follow', text: value };
  const at = timeOf(value);
  if (at !== undefined && Number.isFinite(at)) return { kind: 'time', at, text: value };
  throw new RangeError(
    `--until ${text}: expected now, follow, or an ISO-8601 time with its zone (e.g. 2026-01-01T13:00:00Z)`,
  );
};

export type { RecordFrom, RecordUntil };
export { parseRecordFrom, parseRecordUntil };
