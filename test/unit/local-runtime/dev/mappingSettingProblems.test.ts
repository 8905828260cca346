import { describe, expect, it } from 'vitest';
import { mappingSettingProblems } from '../../../../local-runtime/dev/mappingSettingProblems.js';

describe('mappingSettingProblems', () => {
  it('finds nothing wrong with valid settings', () => {
    expect(mappingSettingProblems({ StartingPosition: 'LATEST', BatchSize: 10, Stream: 'arn' })).toEqual([]);
  });

  it('lists every setting CreateEventSourceMapping would refuse, not only the first', () => {
    expect(
      mappingSettingProblems({
        BatchSize: 0,
        MaximumRetryAttempts: 'many',
        FunctionResponseTypes: ['Everything'],
        FilterCriteria: { Filters: [{ Pattern: '{not json' }] },
      }).map((p) => p.property),
    ).toEqual([
      'StartingPosition',
      'FunctionResponseTypes',
      'FilterCriteria',
      'BatchSize',
      'MaximumRetryAttempts',
    ]);
  });

  it('says what each setting accepts, without repeating its name', () => {
    expect(mappingSettingProblems({ StartingPosition: 'LATEST', ParallelizationFactor: 11 })).toEqual([
      { property: 'ParallelizationFactor', problem: 'must be an integer from 1 to 10; got 11' },
    ]);
  });
});
