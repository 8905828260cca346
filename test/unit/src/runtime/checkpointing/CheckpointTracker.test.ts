import { describe, expect, it } from 'vitest';
import { CheckpointTracker } from '../../../../../src/runtime/checkpointing/CheckpointTracker.js';

const ERRORS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html';

const tracker = (...sequences: string[]) => {
  const t = new CheckpointTracker();
  for (const sequence of sequences) t.read(sequence);
  return t;
};

describe(CheckpointTracker.name, () => {
  it('moves the checkpoint to the last record before which everything is done', () => {
    const t = tracker('100', '200', '300');
    expect(t.done(['100', '200'])).toBe('200');
    expect(t.pending).toBe(1);
  });

  it(`does not move past a record still in flight in another lane (${ERRORS}: a shard resumes after its checkpoint)`, () => {
    const t = tracker('100', '200', '300');
    expect(t.done(['200', '300'])).toBeUndefined();
    expect(t.done(['100'])).toBe('300');
    expect(t.pending).toBe(0);
  });

  it('never moves backwards: records done again, or unknown, leave it where it is', () => {
    const t = tracker('100', '200');
    expect(t.done(['100'])).toBe('100');
    expect(t.done(['100', '999'])).toBeUndefined();
    expect(t.done(['200'])).toBe('200');
  });
});
