import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { concatMap, filter, map, pipe, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStreamHandler } from '../../../../src/handler/defineStreamHandler.js';
import { changed } from '../../../../src/operators/changed.js';
import { decodeWith } from '../../../../src/operators/decodeWith.js';
import { processEach } from '../../../../src/operators/processEach.js';
import {
  EarlierRecordFailedError,
  MissingImageError,
  RecordValidationError,
} from '../../../../src/pipeline/errors.js';
import { failRecord } from '../../../../src/pipeline/failRecord.js';
import { SUPERSEDED } from '../../../../src/pipeline/RecordOutcome.js';
import type { StreamItem } from '../../../../src/pipeline/StreamItem.js';
import { invocationStatsOf } from '../../../../src/records/invocationStats.js';
import { lambdaRecord } from '../../../helpers/factories.js';

/** Every event these tests build is one Lambda could send. */
const event = (...Records: DynamoDBRecord[]): DynamoDBStreamEvent => {
  const built = { Records };
  const parsed = DynamoDBStreamSchema.safeParse(built);
  if (!parsed.success) throw new Error(`not a Lambda event: ${parsed.error.message}`);
  return built;
};

const sequenceOf = (record: DynamoDBRecord | undefined): string => record?.dynamodb?.SequenceNumber ?? '';

const silent = { onRecordError: () => undefined };

describe(defineStreamHandler.name, () => {
  it('unmarshalls images for the pipeline', async () => {
    const seen: unknown[] = [];
    const handler = defineStreamHandler(
      processEach((item) => {
        seen.push({ event: item.eventName, keys: item.keys, newImage: item.newImage });
        return [true];
      }),
    );
    const insert: DynamoDBStreamEvent = {
      Records: [
        lambdaRecord(
          'INSERT',
          { orderId: 'o-1' },
          { newImage: { orderId: 'o-1', total: 12.5, tags: new Set(['a']) } },
        ),
      ],
    };
    expect(DynamoDBStreamSchema.safeParse(insert).success).toBe(true);
    await expect(handler(insert)).resolves.toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([
      {
        event: 'INSERT',
        keys: { orderId: 'o-1' },
        newImage: { orderId: 'o-1', total: 12.5, tags: new Set(['a']) },
      },
    ]);
  });

  it('reports a failing record and keeps processing the others', async () => {
    const records = [
      lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } }),
      lambdaRecord('INSERT', { id: 'b' }, { newImage: { id: 'b' } }),
      lambdaRecord('INSERT', { id: 'c' }, { newImage: { id: 'c' } }),
    ];
    const processed: string[] = [];
    const handler = defineStreamHandler(
      processEach(async (item) => {
        if (item.keys.id === 'b') throw new Error('poison');
        processed.push(item.keys.id as string);
      }),
      silent,
    );
    const response = await handler(event(...records));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }]);
    expect(processed.sort()).toEqual(['a', 'c']);
  });

  it("fails an item's later records after one of its records fails, without running them", async () => {
    const records = [
      lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a', v: 1 } }),
      lambdaRecord('MODIFY', { id: 'a' }, { newImage: { id: 'a', v: 2 } }),
      lambdaRecord('INSERT', { id: 'b' }, { newImage: { id: 'b' } }),
      lambdaRecord('MODIFY', { id: 'a' }, { newImage: { id: 'a', v: 3 } }),
    ];
    const ran: string[] = [];
    const handler = defineStreamHandler(
      processEach(async (item) => {
        ran.push(`${item.keys.id as string}${String(item.newImage?.v ?? '')}`);
        if (item.newImage?.v === 2) throw new Error('v2 fails');
      }),
      silent,
    );
    const response = await handler(event(...records));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      records[1]?.dynamodb?.SequenceNumber,
      records[3]?.dynamodb?.SequenceNumber,
    ]);
    // a3 never ran; b ran concurrently with a's records.
    expect([...ran].sort()).toEqual(['a1', 'a2', 'b']);
  });

  it("keeps each item's records in order while items run concurrently", async () => {
    const records = Array.from({ length: 30 }, (_, i) =>
      lambdaRecord('MODIFY', { id: `k${i % 3}` }, { newImage: { id: `k${i % 3}`, v: i } }),
    );
    const order = new Map<string, number[]>();
    const handler = defineStreamHandler(
      processEach(
        async (item) => {
          // Later records finish sooner (fewer microtask turns): only per-item sequencing keeps their order.
          for (let turn = 30 - (item.newImage?.v as number); turn > 0; turn--) await Promise.resolve();
          const id = item.keys.id as string;
          order.set(id, [...(order.get(id) ?? []), item.newImage?.v as number]);
        },
        { concurrency: 2 },
      ),
    );
    await handler(event(...records));
    for (const [id, values] of order) {
      expect(values, id).toEqual([...values].sort((a, b) => a - b));
    }
    expect([...order.values()].flat()).toHaveLength(30);
  });

  it('treats records the pipeline filters out as handled', async () => {
    const handler = defineStreamHandler(
      pipe(
        filter(() => false),
        map(() => undefined as never),
      ),
    );
    const response = await handler(event(lambdaRecord('REMOVE', { id: 'a' }, { oldImage: { id: 'a' } })));
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('says what is wrong when the pipeline emits something other than outcomes', async () => {
    const handler = defineStreamHandler(map(() => 'done' as never));
    await expect(
      handler(event(lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } }))),
    ).rejects.toThrow(/emitted "done", which is not a RecordOutcome/);
  });

  it('throws when the pipeline itself errors, so Lambda retries the whole batch', async () => {
    const handler = defineStreamHandler(
      map(() => {
        throw new Error('pipeline bug');
      }),
    );
    await expect(
      handler(event(lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } }))),
    ).rejects.toThrow('pipeline bug');
  });

  describe('failures reported by operators (the side channel)', () => {
    const Order = z.object({ id: z.string(), total: z.number() });

    it("reports a record decodeWith refuses and its item's later records, which processEach does not run", async () => {
      const records = [
        lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a', total: 1 } }),
        lambdaRecord('INSERT', { id: 'b' }, { newImage: { id: 'b', total: 'one' } }),
        lambdaRecord(
          'MODIFY',
          { id: 'b' },
          { oldImage: { id: 'b', total: 'one' }, newImage: { id: 'b', total: 2 } },
        ),
        lambdaRecord('INSERT', { id: 'c' }, { newImage: { id: 'c', total: 3 } }),
        lambdaRecord(
          'MODIFY',
          { id: 'b' },
          { oldImage: { id: 'b', total: 2 }, newImage: { id: 'b', total: 3 } },
        ),
      ];
      const ran: string[] = [];
      const errors: [string, unknown][] = [];
      const handler = defineStreamHandler(
        pipe(
          decodeWith(Order),
          processEach(async (item) => {
            ran.push(`${item.newImage?.id}${item.newImage?.total}`);
          }),
        ),
        { onRecordError: (error, item) => errors.push([item.sequenceNumber, error]) },
      );

      const response = await handler(event(...records));

      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
        [records[1], records[2], records[4]].map(sequenceOf),
      );
      expect(ran.sort()).toEqual(['a1', 'c3']);
      expect(errors.map(([sequence]) => sequence)).toEqual(
        [records[1], records[2], records[4]].map(sequenceOf),
      );
      expect(errors[0]?.[1]).toBeInstanceOf(RecordValidationError);
      expect(String(errors[0]?.[1])).toContain(`record ${sequenceOf(records[1])} (INSERT id="b"): NewImage`);
      // records[2] carries b's invalid image as its OldImage, so decodeWith refuses it too; records[4] is valid
      // and reaches processEach, which fails it without running because b's first record failed.
      expect(errors[1]?.[1]).toBeInstanceOf(RecordValidationError);
      expect(errors[2]?.[1]).toBeInstanceOf(EarlierRecordFailedError);
    });

    it("reports a MODIFY that changed() cannot compare, naming the stream's StreamViewType", async () => {
      const modify = lambdaRecord('MODIFY', { id: 'a' }, { newImage: { id: 'a', status: 'PAID' } });
      const onNewImageStream = {
        ...modify,
        dynamodb: { ...modify.dynamodb, StreamViewType: 'NEW_IMAGE' as const },
      } as DynamoDBRecord;
      const errors: unknown[] = [];
      const handler = defineStreamHandler(
        pipe(
          changed('status'),
          processEach(() => [true]),
        ),
        { onRecordError: (error) => errors.push(error) },
      );
      const response = await handler(event(onNewImageStream));
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(modify) }]);
      expect(errors).toEqual([expect.any(MissingImageError)]);
      expect((errors[0] as Error).message).toContain('needs StreamViewType NEW_AND_OLD_IMAGES');
      expect((errors[0] as Error).message).toContain("the record's stream has NEW_IMAGE");
    });

    it('reports a failure once, whichever paths it came through', async () => {
      const records = [lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } })];
      const errors: unknown[] = [];
      const poison = new Error('poison');
      const handler = defineStreamHandler(
        processEach((item) => {
          failRecord(item, poison); // the channel …
          throw new Error('and the outcome'); // … and an outcome for the same record
        }),
        { onRecordError: (error) => errors.push(error) },
      );
      const response = await handler(event(...records));
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(records[0]) }]);
      expect(errors).toEqual([poison]); // the first reported error wins
    });

    it("hands the pipeline the event's own records", async () => {
      const records = [lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } })];
      const seen: DynamoDBRecord[] = [];
      const handler = defineStreamHandler(
        processEach((item) => {
          seen.push(item.record);
          return [true];
        }),
      );
      await handler(event(...records));
      expect(seen[0]).toBe(records[0]);
    });

    it('keeps invocations apart when the same event object is handled twice at once', async () => {
      const record = lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } });
      const shared = event(record);
      let calls = 0;
      const failFirst = filter((item: StreamItem) => {
        calls += 1;
        if (calls > 1) return true;
        failRecord(item, new Error('first invocation only'));
        return false;
      });
      const handler = defineStreamHandler(
        pipe(
          // Both invocations have bound their records before either reports a failure.
          concatMap((item: StreamItem) => timer(5).pipe(map(() => item))),
          failFirst,
          processEach(() => [true]),
        ),
        silent,
      );
      const [first, second] = await Promise.all([handler(shared), handler(shared)]);
      expect(first.batchItemFailures).toEqual([{ itemIdentifier: sequenceOf(record) }]);
      expect(second.batchItemFailures).toEqual([]);
    });
  });

  it('tells the runtime, beside its Lambda response, which records were already applied (superseded)', async () => {
    const a = lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } });
    const b = lambdaRecord('INSERT', { id: 'b' }, { newImage: { id: 'b' } });
    const handler = defineStreamHandler(
      processEach((item) => [item.keys.id === 'b' ? SUPERSEDED : undefined]),
    );
    const given = event(a, b);
    // The response is Lambda's, nothing more; the stats are on the event, where JSON does not carry them.
    await expect(handler(given)).resolves.toEqual({ batchItemFailures: [] });
    expect(invocationStatsOf(given)).toEqual({ superseded: [sequenceOf(b)] });
    expect(JSON.parse(JSON.stringify(given))).toEqual(given);
    const plain = event(a);
    await handler(plain);
    expect(invocationStatsOf(plain)).toBeUndefined();
  });
});
