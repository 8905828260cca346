import type { DynamoDBStreamsClient, GetRecordsCommandOutput } from '@aws-sdk/client-dynamodb-streams';
import type { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { waitFor } from './waitFor.js';

/** What `countPolls` observes of a streams client's GetRecords calls. */
interface PollCount {
  /** GetRecords calls started so far; each call is numbered by this count when it starts. */
  started(): number;
  /** The number of the latest-started GetRecords call that came back with no record (0: none yet). */
  lastEmpty(): number;
}

/**
 * Counts `client`'s GetRecords calls as they start, and remembers the last one that came back empty: a test can
 * then wait for "the mapping polled again and found nothing", an event, instead of sleeping. Give the mapping
 * a client of its own (`h.clientsFor(region).streams`), so no other reader's calls are counted.
 */
const countPolls = (client: DynamoDBStreamsClient): PollCount => {
  let started = 0;
  let lastEmpty = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'GetRecordsCommand') return next(args);
      started += 1;
      const call = started;
      const result = await next(args);
      const records = (result.output as GetRecordsCommandOutput).Records ?? [];
      if (records.length === 0) lastEmpty = Math.max(lastEmpty, call);
      return result;
    },
    { step: 'initialize', name: 'countPolls' },
  );
  return { started: () => started, lastEmpty: () => lastEmpty };
};

/**
 * Waits until `mapping` is done with everything it has read — no record behind, no batch in flight (a retry's
 * backoff counts as in flight) — and has then started a poll that came back empty. From there on, with no new
 * writes, it invokes nothing more: a test asserts "nothing else happened" after this, not after a sleep. The
 * mapping must read an open shard (a closed one is not polled again) through the client `polls` counts.
 *
 * @example
 * const client = h.clientsFor('us-east-1').streams;
 * const polls = countPolls(client);
 * const mapping = new EventSourceMapping({ ...options, client });
 * await waitFor(() => reports.length >= 1, 'the invocation');
 * await waitForIdle(mapping, polls, 'no retry');
 * expect(reports).toHaveLength(1);
 */
const waitForIdle = async (mapping: EventSourceMapping, polls: PollCount, what: string): Promise<void> => {
  const idle = () => {
    const { shards, recordsBehind, inFlight } = mapping.progress();
    return shards > 0 && recordsBehind === 0 && inFlight === 0;
  };
  for (;;) {
    await waitFor(idle, `${what}: no record behind and no batch in flight`);
    const mark = polls.started();
    // A poll that found records makes the mapping busy again: then wait for it to finish those too.
    await waitFor(() => polls.lastEmpty() > mark || !idle(), `${what}: a poll that finds nothing`);
    if (idle()) return;
  }
};

export type { PollCount };
export { countPolls, waitForIdle };
