import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../../local-runtime/emulator/operations.js';
import { type Fixtures, TARGETS } from '../../fuzz/baseRequests.js';
import { type FuzzRequest, generateRequest } from '../../fuzz/generateRequest.js';
import { judgeOutcome } from '../../fuzz/judgeOutcome.js';
import { formatSummary, runFuzz } from '../../fuzz/runFuzz.js';
import { inputShape } from '../../fuzz/wireShapes.js';
import { parseSeed } from '../../helpers/Random.js';

/**
 * The fast fuzz run (`npm run fuzz` is the long one: same operations, same mutators, more requests). It sends
 * malformed and adversarial requests to an emulator process with a data dir and asserts what issue 10 promises:
 * no crash, no hang, no 500, every refusal in DynamoDB's error shape
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html), refused requests
 * change neither state nor the data dir, and a restart rebuilds the same state. FUZZ_SEED picks another seed,
 * FUZZ_REQUESTS another count.
 */
const SEED = parseSeed(process.env.FUZZ_SEED) ?? 20_261_206;
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);

const FIXTURES: Fixtures = {
  tables: [
    {
      name: 'fuzz_hash',
      arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/fuzz_hash',
      hash: { name: 'pk', type: 'S' },
      streamArn: 'arn:s|a',
    },
    {
      name: 'fuzz_range',
      arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/fuzz_range',
      hash: { name: 'pk', type: 'S' },
      range: { name: 'sk', type: 'N' },
      indexName: 'byG',
    },
  ],
  scratchTable: 'fuzz_scratch',
  createdTable: 'fuzz_created',
  shards: new Map([['arn:s|a', ['shardId-1']]]),
  iterators: ['arn:s|1|WyJzaGFyZElkLTEiLCIwIiwxXQ=='],
  sequenceNumbers: ['100'],
};

describe('fuzz: malformed and adversarial requests against an emulator process', () => {
  it('covers every operation of both services and the control surface, each with the SDK input shape', () => {
    const served = Object.entries(OPERATIONS).flatMap(([service, table]) =>
      Object.keys(table).map((name) => `${service}.${name}`),
    );
    expect(TARGETS.filter((t) => !t.startsWith('control.')).sort()).toEqual(served.sort());
    for (const target of served) expect(inputShape(target), target).toBeDefined();
    expect(TARGETS.filter((t) => t.startsWith('control.')).sort()).toEqual(
      ['advanceClock', 'expireIterators', 'failNext', 'rollOver', 'split', 'sweepTtl'].map(
        (a) => `control.${a}`,
      ),
    );
  });

  it('generates request i of a seed the same way every time, whatever came before', () => {
    const once = generateRequest(SEED, 1234, FIXTURES, 8000);
    generateRequest(SEED, 7, FIXTURES, 8000);
    const again = generateRequest(SEED, 1234, FIXTURES, 8000);
    expect(again.body.equals(once.body)).toBe(true);
    expect(again.mutations).toEqual(once.mutations);
    expect(generateRequest(SEED + 1, 1234, FIXTURES, 8000).body.equals(once.body)).toBe(false);
  });

  it('judges answers: a DynamoDB-shaped refusal passes; a 500, a hang, a bare body or no request id do not', () => {
    const request = generateRequest(SEED, 1, FIXTURES, 8000) as FuzzRequest;
    const answer = (
      status: number,
      body: string,
      headers: Record<string, string> = { 'x-amzn-requestid': 'R' },
    ) =>
      judgeOutcome(request, { kind: 'answer', status, headers, body: Buffer.from(body) }).map((v) => v.kind);
    expect(answer(400, '{"__type":"com.amazon.coral.service#SerializationException"}')).toEqual([]);
    expect(answer(400, '{"__type":"com.amazon.coral.validate#ValidationException","message":"x"}')).toEqual(
      [],
    );
    expect(answer(200, '{}')).toEqual([]);
    expect(
      answer(500, '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"x"}'),
    ).toEqual(['status5xx']);
    expect(answer(400, '{"error":"x"}')).toEqual(['errorShape']);
    expect(answer(400, '{"__type":"Oops#X","message":"x"}')).toEqual(['errorShape']);
    expect(answer(400, '{"__type":"com.amazon.coral.validate#ValidationException","message":1}')).toEqual([
      'errorShape',
    ]);
    expect(answer(400, '{"__type":"com.amazon.coral.service#SerializationException"}', {})).toEqual([
      'errorShape',
    ]);
    expect(
      answer(404, '<UnknownOperationException/>\n', { 'x-amzn-requestid': 'R', 'content-type': 'text/xml' }),
    ).toEqual([]);
    expect(judgeOutcome(request, { kind: 'timeout' }).map((v) => v.kind)).toEqual(['hang']);
  });

  it(`${REQUESTS} requests (seed ${SEED}): no crash, hang or 500, DynamoDB's error shape, refusals change nothing, a restart rebuilds the same state`, async () => {
    const outDir = mkdtempSync(join(tmpdir(), `eddy-fuzz-${SEED}-`));
    const summary = await runFuzz({
      seed: SEED,
      requests: REQUESTS,
      epochRequests: REQUESTS,
      timeoutMs: 15_000,
      outDir,
      log: () => {},
    });
    const lines = formatSummary(summary);
    expect(summary.byStatus.hang ?? 0).toBe(0);
    expect(summary.failures, `fuzz seed ${SEED} (FUZZ_SEED=${SEED} to reproduce):\n${lines.join('\n')}`).toBe(
      0,
    );
  }, 600_000);
});
