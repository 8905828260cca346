import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { count, defer, EMPTY, map, reduce, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineWindowedHandler,
  type WindowInvocation,
} from '../../../../src/handler/defineWindowedHandler.js';
import { decodeWith } from '../../../../src/operators/decodeWith.js';
import { newImage } from '../../../../src/operators/newImage.js';
import { processEach } from '../../../../src/operators/processEach.js';
import { RecordValidationError } from '../../../../src/pipeline/errors.js';
import { inProcessInvoker } from '../../../../src/runtime/invocation/inProcessInvoker.js';
import { interpretResponse } from '../../../../src/runtime/invocation/interpretResponse.js';
import { lambdaRecord } from '../../../helpers/factories.js';
import { STREAM_ARN, windowEvent } from '../../../helpers/windowEvents.js';

const Click = z.object({ id: z.string(), page: z.string() });
interface Counts {
  clicks: number;
  pages: Record<string, number>;
}

const click = (id: string, page: unknown) => lambdaRecord('INSERT', { id }, { newImage: { id, page } });
const sequenceOf = (record: DynamoDBRecord | undefined): string => record?.dynamodb?.SequenceNumber ?? '';
const silent = { onRecordError: () => undefined };

/** Counts clicks per page; the final invocation hands the totals to `flush`. */
const countClicks = (flush: (window: WindowInvocation<Counts>) => void = () => undefined) =>
  defineWindowedHandler<Counts>(
    (records, invocation) =>
      invocation.isFinalInvokeForWindow
        ? defer(async () => {
            flush(invocation);
            return invocation.state;
          })
        : records.pipe(
            decodeWith(Click),
            newImage(),
            reduce(
              (state, { page }) => ({
                clicks: state.clicks + 1,
                pages: { ...state.pages, [page]: (state.pages[page] ?? 0) + 1 },
              }),
              invocation.state,
            ),
          ),
    { initialState: () => ({ clicks: 0, pages: {} }), ...silent },
  );

describe(defineWindowedHandler.name, () => {
  it("folds each invocation's records into the window's state, and ends the window on the final invocation", async () => {
    const flushed: WindowInvocation<Counts>[] = [];
    const handler = countClicks((window) => flushed.push(window));

    const first = await handler(windowEvent([click('c1', '/'), click('c2', '/cart')]));
    expect(first).toEqual({ state: { clicks: 2, pages: { '/': 1, '/cart': 1 } }, batchItemFailures: [] });

    // Lambda hands the answered state to the window's next invocation (through JSON).
    const second = await handler(windowEvent([click('c3', '/')], { state: first.state }));
    expect(second.state).toEqual({ clicks: 3, pages: { '/': 2, '/cart': 1 } });

    const final = await handler(
      windowEvent([], { state: second.state, isFinalInvokeForWindow: true, isWindowTerminatedEarly: true }),
    );
    expect(final).toEqual({ state: second.state, batchItemFailures: [] });
    expect(flushed).toEqual([
      {
        state: second.state,
        window: { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:01:00Z' },
        isFinalInvokeForWindow: true,
        isWindowTerminatedEarly: true,
        shardId: 'shardId-00000001767225600000-0a1b2c3d',
        eventSourceARN: STREAM_ARN,
      },
    ]);
  });

  it('is a Lambda handler the runtime invokes as it is, answering through JSON', async () => {
    const invoker = inProcessInvoker(countClicks());
    const response = await invoker.invoke(windowEvent([click('c1', '/')]));
    expect(response).toEqual({ state: { clicks: 1, pages: { '/': 1 } }, batchItemFailures: [] });
  });

  it('starts from the `{}` Lambda sends when no initial state is given', async () => {
    const handler = defineWindowedHandler((records, { state }) =>
      records.pipe(
        count(),
        map((n) => ({ ...state, [`n${Object.keys(state).length}`]: n })),
      ),
    );
    expect((await handler(windowEvent([click('c1', '/')]))).state).toEqual({ n0: 1 });
  });

  it('reports the first failed record and every record after it, and answers the state of the records before it', async () => {
    const records = [
      click('c1', '/'),
      click('c2', '/'),
      click('bad', 42),
      click('c3', '/'),
      click('c4', '/x'),
    ];
    const errors: [string, unknown][] = [];
    let runs = 0;
    const handler = defineWindowedHandler<Counts>(
      (items, { state }) => {
        runs += 1;
        return items.pipe(
          decodeWith(Click),
          newImage(),
          reduce((s, { page }) => ({ clicks: s.clicks + 1, pages: { ...s.pages, [page]: 1 } }), state),
        );
      },
      {
        initialState: () => ({ clicks: 0, pages: {} }),
        onRecordError: (error, item) => errors.push([item.sequenceNumber, error]),
      },
    );
    const event = windowEvent(records, { state: { clicks: 10, pages: {} } });

    const response = await handler(event);

    // c3 and c4 were valid, but the state may only hold what comes before the checkpoint Lambda moves to.
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(records.slice(2).map(sequenceOf));
    expect(response.state).toEqual({ clicks: 12, pages: { '/': 1 } });
    expect(runs).toBe(2); // once over the batch, once over the two records before the failure
    expect(errors.map(([sequence]) => sequence)).toEqual([sequenceOf(records[2])]);
    expect(errors[0]?.[1]).toBeInstanceOf(RecordValidationError);
    // The runtime reads this answer as: records before `bad` done, resume at `bad` with the state answered.
    expect(interpretResponse(response, records, true)).toMatchObject({ kind: 'partial', index: 2 });
  });

  it('answers the incoming state when the first record fails', async () => {
    const handler = countClicks();
    const records = [click('bad', 1), click('c1', '/')];
    const response = await handler(windowEvent(records, { state: { clicks: 5, pages: { '/': 5 } } }));
    expect(response).toEqual({
      state: { clicks: 5, pages: { '/': 5 } },
      batchItemFailures: records.map((r) => ({ itemIdentifier: sequenceOf(r) })),
    });
  });

  it('reports the failures of processEach effects inside a window pipeline', async () => {
    const records = [click('c1', '/'), click('c2', '/boom'), click('c3', '/')];
    const handler = defineWindowedHandler<{ sent: number }>(
      (items, { state }) =>
        items.pipe(
          processEach((item) => {
            if (item.newImage?.page === '/boom') throw new Error('downstream refused');
            return [true];
          }),
          toArray(),
          map((outcomes) => ({ sent: state.sent + outcomes.filter((o) => o.ok).length })),
        ),
      { initialState: () => ({ sent: 0 }), ...silent },
    );
    const response = await handler(windowEvent(records));
    expect(response).toEqual({
      state: { sent: 1 },
      batchItemFailures: records.slice(1).map((r) => ({ itemIdentifier: sequenceOf(r) })),
    });
  });

  it('gives each run its own copy of the state, so folding into it in place is safe', async () => {
    const handler = defineWindowedHandler<{ clicks: number }>(
      (items, { state }) =>
        items.pipe(
          decodeWith(Click),
          reduce((s) => {
            s.clicks += 1; // mutates the seed
            return s;
          }, state),
        ),
      silent,
    );
    const records = [click('c1', '/'), click('bad', 0), click('c2', '/')];
    const response = await handler(windowEvent(records, { state: { clicks: 1 } }));
    expect(response.state).toEqual({ clicks: 2 });
  });

  it('leaves the state as it was when the pipeline emits nothing', async () => {
    const handler = defineWindowedHandler(() => EMPTY);
    const response = await handler(windowEvent([click('c1', '/')], { state: { kept: true } }));
    expect(response).toEqual({ state: { kept: true }, batchItemFailures: [] });
  });

  it('fails the invocation when the pipeline answers a state that is not an object', async () => {
    const handler = defineWindowedHandler(() => [[1, 2]] as never);
    await expect(handler(windowEvent([click('c1', '/')]))).rejects.toThrow(
      /answered \[1,2\] as the window's state; a state must be an object/,
    );
  });

  it('fails the invocation when the pipeline errors, so Lambda retries it', async () => {
    const handler = defineWindowedHandler(() => {
      throw new Error('pipeline bug');
    });
    await expect(handler(windowEvent([click('c1', '/')]))).rejects.toThrow('pipeline bug');
  });

  it('refuses an event without a tumbling window, saying what to set', async () => {
    const handler = countClicks();
    const event = { Records: [click('c1', '/')] };
    expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
    await expect(handler(event)).rejects.toThrow(/set TumblingWindowInSeconds on the event source mapping/);
  });

  it("is checked against the base fields only: Powertools' full schema refuses real window events", () => {
    // state is any JSON object, and the final invocation has no records; the parser wants strings and records.
    const withState = windowEvent([click('c1', '/')], { state: { clicks: 1 } });
    const final = windowEvent([], { isFinalInvokeForWindow: true });
    expect(DynamoDBStreamSchema.safeParse(withState).success).toBe(false);
    expect(DynamoDBStreamSchema.safeParse(final).success).toBe(false);
    expect(DynamoDBStreamSchema.safeParse({ ...withState, state: undefined }).success).toBe(true);
  });
});
