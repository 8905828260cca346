import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { ofEventName } from '../../../../src/operators/ofEventName.js';
import type { StreamItem } from '../../../../src/pipeline/StreamItem.js';
import { streamItem } from '../../../helpers/factories.js';

describe(ofEventName.name, () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('keeps only the named events', () => {
    const values: Record<string, StreamItem> = {
      i: streamItem('INSERT', { id: 'a' }, { newImage: { id: 'a' } }),
      m: streamItem('MODIFY', { id: 'a' }, { newImage: { id: 'a', n: 1 }, oldImage: { id: 'a' } }),
      r: streamItem('REMOVE', { id: 'a' }, { oldImage: { id: 'a', n: 1 } }),
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const items = cold('  -i-m-r-i-|', values);
      const expected = '   -i-m---i-|';
      expectObservable(items.pipe(ofEventName('INSERT', 'MODIFY'))).toBe(expected, values);
      expectSubscriptions(items.subscriptions).toBe('^--------!');
    });
  });
});
