import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StreamItem } from '../../../../src/handler/StreamItem.js';
import { modifies } from '../../../../src/operators/modifies.js';
import { streamItem } from '../../../helpers/factories.js';

describe(modifies.name, () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const values: Record<string, StreamItem> = {
    i: streamItem('INSERT', { id: 'a' }, { newImage: { id: 'a' } }),
    m: streamItem('MODIFY', { id: 'a' }, { newImage: { id: 'a', n: 1 }, oldImage: { id: 'a' } }),
    r: streamItem('REMOVE', { id: 'a' }, { oldImage: { id: 'a', n: 1 } }),
  };

  it('keeps only the MODIFY records', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const items = cold('  -i-m-r-i-|', values);
      const subs = '        ^--------!';
      const expected = '    ---m-----|';
      expectObservable(items.pipe(modifies())).toBe(expected, values);
      expectSubscriptions(items.subscriptions).toBe(subs);
    });
  });

  it('passes an error through', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const items = cold('  -i-m-#', values);
      const subs = '        ^----!';
      const expected = '    ---m-#';
      expectObservable(items.pipe(modifies())).toBe(expected, values);
      expectSubscriptions(items.subscriptions).toBe(subs);
    });
  });

  it('unsubscribes from the source when unsubscribed', () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const items = hot('   -i-m-r-i-|', values);
      const subs = '        ^----!';
      const unsub = '       -----!';
      const expected = '    ---m-';
      expectObservable(items.pipe(modifies()), unsub).toBe(expected, values);
      expectSubscriptions(items.subscriptions).toBe(subs);
    });
  });
});
