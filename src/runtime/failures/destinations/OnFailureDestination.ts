import type { OnFailureRecord } from './onFailureRecord.js';

/**
 * Where discarded records are reported (DestinationConfig.OnFailure). `send` resolves once the destination
 * has the record; the runtime retries a failing send and does not move past the records until it succeeds,
 * so a discard is never silent.
 *
 * @example
 * const toLog: OnFailureDestination = {
 *   destination: 'console',
 *   send: async (record) => console.error(JSON.stringify(record)),
 * };
 * new EventSourceMapping({ ...options, onFailure: toLog });
 */
interface OnFailureDestination {
  /** The destination's ARN or location, for logs. */
  readonly destination: string;
  send(record: OnFailureRecord): Promise<void>;
}

export type { OnFailureDestination };
