import { describe, expect, it } from 'vitest';
import { trimStack } from '../../../../local-runtime/functions/trimStack.js';

const RX = '/app/node_modules/rxjs/dist/cjs/internal';

describe('trimStack', () => {
  it('folds each run of RxJS frames into one line and keeps the rest as it is', () => {
    const stack = [
      'Error: a negative total',
      '    at order (/app/handlers/failing.ts:12:36)',
      `    at OperatorSubscriber._next (${RX}/operators/OperatorSubscriber.js:33:21)`,
      `    at Subscriber.next (${RX}/Subscriber.js:51:18)`,
      '    at handler (/app/handlers/failing.ts:9:3)',
      `    at Observable.subscribe (${RX}/Observable.js:30:5)`,
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ].join('\n');
    expect(trimStack(stack)).toBe(
      [
        'Error: a negative total',
        '    at order (/app/handlers/failing.ts:12:36)',
        '    ... 2 frames inside node_modules/rxjs',
        '    at handler (/app/handlers/failing.ts:9:3)',
        '    ... 1 frame inside node_modules/rxjs',
        '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      ].join('\n'),
    );
  });

  it('keeps a message that mentions rxjs, and Windows paths are folded too', () => {
    const stack = [
      'Error: see /x/node_modules/rxjs/ for details',
      '    at f (C:\\app\\node_modules\\rxjs\\dist\\cjs\\x.js:1:2)',
    ].join('\n');
    expect(trimStack(stack)).toBe(
      'Error: see /x/node_modules/rxjs/ for details\n    ... 1 frame inside node_modules/rxjs',
    );
  });

  it('leaves a stack without RxJS frames unchanged', () => {
    const stack = 'TypeError: x is not a function\n    at handler (/app/app.ts:3:9)';
    expect(trimStack(stack)).toBe(stack);
  });
});
