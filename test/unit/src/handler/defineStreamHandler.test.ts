import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { filter, map, pipe } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { defineStreamHandler } from '../../../../src/handler/defineStreamHandler.js';
import { processEach } from '../../../../src/operators/processEach.js';
import { lambdaRecord } from '../../../helpers/factories.js';

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
    const event: DynamoDBStreamEvent = {
      Records: [
        lambdaRecord(
          'INSERT',
          { orderId: 'o-1' },
          { newImage: { orderId: 'o-1', total: 12.5, tags: new Set(['a']) } },
        ),
      ],
    };
    expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
    await expect(handler(event)).resolves.toEqual({ batchItemFailures: [] });
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
    const response = await handler({ Records: records });
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
    const response = await handler({ Records: records });
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
          // Later records finish sooner: only per-item sequencing keeps their order.
          await new Promise((resolve) => setTimeout(resolve, 30 - (item.newImage?.v as number)));
          const id = item.keys.id as string;
          order.set(id, [...(order.get(id) ?? []), item.newImage?.v as number]);
        },
        { concurrency: 2 },
      ),
    );
    await handler({ Records: records });
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
    const response = await handler({
      Records: [lambdaRecord('REMOVE', { id: 'a' }, { oldImage: { id: 'a' } })],
    });
    expect(response).toEqual({ batchItemFailures: [] });
  });

  it('says what is wrong when the pipeline emits something other than outcomes', async () => {
    const handler = defineStreamHandler(map(() => 'done' as never));
    await expect(
      handler({ Records: [lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } })] }),
    ).rejects.toThrow(/emitted "done", which is not a RecordOutcome/);
  });

  it('throws when the pipeline itself errors, so Lambda retries the whole batch', async () => {
    const handler = defineStreamHandler(
      map(() => {
        throw new Error('pipeline bug');
      }),
    );
    await expect(
      handler({ Records: [lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } })] }),
    ).rejects.toThrow('pipeline bug');
  });
});
