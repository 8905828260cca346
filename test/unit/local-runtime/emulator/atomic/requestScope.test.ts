import { describe, expect, it } from 'vitest';
import { atomically, onRollback } from '../../../../../local-runtime/emulator/atomic/requestScope.js';

describe(atomically.name, () => {
  it('returns what the run returns and keeps its changes', () => {
    const log: string[] = [];
    const result = atomically(() => {
      log.push('change');
      onRollback(() => log.push('undo'));
      return 42;
    });
    expect(result).toBe(42);
    expect(log).toEqual(['change']);
  });

  it('takes back every change, newest first, and rethrows the same error', () => {
    const log: string[] = [];
    const failure = new Error('boom');
    const run = () =>
      atomically(() => {
        for (const name of ['a', 'b', 'c']) onRollback(() => log.push(`undo ${name}`));
        throw failure;
      });
    expect(run).toThrow(failure);
    expect(log).toEqual(['undo c', 'undo b', 'undo a']);
  });

  it('records nothing outside a scope, and nothing once a scope has committed', () => {
    const log: string[] = [];
    onRollback(() => log.push('outside'));
    atomically(() => onRollback(() => log.push('committed')));
    expect(() =>
      atomically(() => {
        throw new Error('later');
      }),
    ).toThrow('later');
    expect(log).toEqual([]);
  });

  it('treats a nested scope as a savepoint: an inner failure takes back the inner changes only', () => {
    const log: string[] = [];
    expect(() =>
      atomically(() => {
        onRollback(() => log.push('undo outer'));
        expect(() =>
          atomically(() => {
            onRollback(() => log.push('undo inner'));
            throw new Error('inner');
          }),
        ).toThrow('inner');
        expect(log).toEqual(['undo inner']);
        onRollback(() => log.push('undo outer, later'));
        throw new Error('outer');
      }),
    ).toThrow('outer');
    expect(log).toEqual(['undo inner', 'undo outer, later', 'undo outer']);
  });

  it('still runs the other undo functions when one of them fails', () => {
    const log: string[] = [];
    const quiet = console.error;
    console.error = () => undefined;
    try {
      expect(() =>
        atomically(() => {
          onRollback(() => log.push('undo first'));
          onRollback(() => {
            throw new Error('broken undo');
          });
          throw new Error('boom');
        }),
      ).toThrow('boom');
    } finally {
      console.error = quiet;
    }
    expect(log).toEqual(['undo first']);
  });

  it('does not record what the undo functions themselves change', () => {
    const log: string[] = [];
    expect(() =>
      atomically(() => {
        onRollback(() => {
          log.push('undo');
          onRollback(() => log.push('recorded during rollback'));
        });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    atomically(() => undefined);
    expect(log).toEqual(['undo']);
  });
});
