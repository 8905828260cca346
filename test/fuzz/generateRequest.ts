import { Random } from '../helpers/Random.js';
import { baseRequest, type Fixtures, TARGETS } from './baseRequests.js';
import { copyBody } from './jsonText.js';
import { bodyOf, CONTROL_SHAPES, type Draft, MUTATORS } from './mutators.js';
import { inputShape, type Shape } from './wireShapes.js';

/** One request as sent, and what the generator did to make it. */
interface FuzzRequest {
  readonly index: number;
  readonly target: string;
  /** `mutator:what` for each mutation applied, in order; empty for an unmutated (valid) request. */
  readonly mutations: readonly string[];
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
  /** A mutated request: DynamoDB would refuse it (it may still pass, e.g. an odd but legal name). */
  readonly expectRefused: boolean;
  readonly mayDropConnection: boolean;
}

const CONTROL_PREFIX = 'control.';

/** The headers an AWS SDK sends, signed for nothing (the fuzzed emulator does not require signatures). */
const defaultHeaders = (target: string, port: number): Record<string, string> =>
  target.startsWith(CONTROL_PREFIX)
    ? { host: `127.0.0.1:${port}`, 'content-type': 'application/json' }
    : {
        host: `127.0.0.1:${port}`,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': target,
        'x-amz-date': '20260101T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=fuzz/20260101/us-east-1/dynamodb/aws4_request, ' +
          `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
      };

const shapeOf = (target: string): Shape => {
  const shape = target.startsWith(CONTROL_PREFIX) ? CONTROL_SHAPES[target] : inputShape(target);
  if (shape === undefined) throw new Error(`no input shape for ${target}`);
  return shape;
};

const TOTAL_WEIGHT = MUTATORS.reduce((sum, m) => sum + m.weight, 0);

const pickMutator = (random: Random) => {
  let roll = random.float() * TOTAL_WEIGHT;
  for (const mutator of MUTATORS) {
    roll -= mutator.weight;
    if (roll < 0) return mutator;
  }
  return MUTATORS[MUTATORS.length - 1] as (typeof MUTATORS)[number];
};

/** The share of requests sent unmutated, so valid traffic keeps changing state between refused runs. */
const VALID_SHARE = 0.08;

/**
 * Request `index` of the run seeded `seed`: an operation (uniformly over both services and the control
 * surface), its valid request against the fixtures, then one to three mutations. Deterministic in
 * (seed, index, fixtures).
 */
const generateRequest = (seed: number, index: number, fixtures: Fixtures, port: number): FuzzRequest => {
  const random = Random.forRequest(seed, index);
  const target = random.pick(TARGETS);
  const base = baseRequest(random, fixtures, target);
  const draft: Draft = {
    target,
    shape: shapeOf(target),
    body: copyBody(base.body),
    method: 'POST',
    path: target.startsWith(CONTROL_PREFIX) ? `/_eddy/control/${target.slice(CONTROL_PREFIX.length)}` : '/',
    headers: defaultHeaders(target, port),
    mayDropConnection: false,
  };
  const mutations: string[] = [];
  if (!random.chance(VALID_SHARE)) {
    const count = random.chance(0.8) ? 1 : random.chance(0.75) ? 2 : 3;
    for (let attempt = 0; mutations.length < count && attempt < 20; attempt += 1) {
      const mutator = pickMutator(random);
      // Once the body is bytes, only mutators that do not touch the body still apply.
      if (draft.bodyBytes !== undefined && !['header', 'httpMethodPath'].includes(mutator.name)) continue;
      const what = mutator.apply(random, draft, fixtures);
      if (what !== undefined) mutations.push(`${mutator.name}:${what}`);
    }
  }
  return {
    index,
    target,
    mutations,
    method: draft.method,
    path: draft.path,
    headers: draft.headers,
    body: bodyOf(draft),
    expectRefused: mutations.length > 0,
    mayDropConnection: draft.mayDropConnection,
  };
};

export type { FuzzRequest };
export { generateRequest, shapeOf };
