import type { Emulator } from '../Emulator.js';
import type { FaultKind } from './FaultInjector.js';

/** The HTTP control surface's path prefix: AWS requests are always `POST /`, so this can never collide. */
const CONTROL_PREFIX = '/_eddy/control/';

interface ControlResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

type Action = (emulator: Emulator, input: Record<string, unknown>) => unknown;

const ACTIONS: Readonly<Record<string, Action>> = {
  advanceClock: (emulator, input) => ({ now: emulator.control.advanceClock(Number(input.ms)) }),
  rollOver: (emulator, input) => ({
    childShardIds: emulator.control.rollOver({
      streamArn: String(input.streamArn),
      ...(input.shardId === undefined ? {} : { shardId: String(input.shardId) }),
    }),
  }),
  split: (emulator, input) => ({
    childShardIds: emulator.control.split({
      streamArn: String(input.streamArn),
      shardId: String(input.shardId),
    }),
  }),
  expireIterators: (emulator) => {
    emulator.control.expireIterators();
    return {};
  },
  failNext: (emulator, input) => {
    emulator.control.failNext(
      String(input.operation),
      Number(input.count ?? 1),
      String(input.kind) as FaultKind,
    );
    return {};
  },
  sweepTtl: (emulator) => {
    emulator.sweepTtl();
    return {};
  },
};

/**
 * `POST /_eddy/control/<action>` with a JSON body: the test control surface over HTTP, for tests written in any
 * language. Actions: advanceClock {ms}, rollOver {streamArn, shardId?}, split {streamArn, shardId},
 * expireIterators {}, failNext {operation, count, kind}, sweepTtl {}. Answers JSON: the result, or
 * `{ "error": "…" }` with status 400.
 */
const handleControlRequest = (
  emulator: Emulator,
  method: string,
  url: string,
  body: Buffer,
): ControlResponse => {
  const respond = (statusCode: number, payload: unknown): ControlResponse => ({
    statusCode,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  const name = url.slice(CONTROL_PREFIX.length).split('?')[0] ?? '';
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (method !== 'POST' || action === undefined) {
    return respond(404, {
      error: `unknown control action ${name}; known: ${Object.keys(ACTIONS).join(', ')}`,
    });
  }
  try {
    const text = body.toString('utf8').trim();
    const input = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
    return respond(200, action(emulator, input));
  } catch (error) {
    return respond(400, { error: error instanceof Error ? error.message : String(error) });
  }
};

export { CONTROL_PREFIX, handleControlRequest };
