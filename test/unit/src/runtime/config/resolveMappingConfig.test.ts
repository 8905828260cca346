import { describe, expect, it } from 'vitest';
import { resolveMappingConfig } from '../../../../../src/runtime/config/resolveMappingConfig.js';
import { MappingConfigError } from '../../../../../src/runtime/errors/MappingConfigError.js';

describe(resolveMappingConfig.name, () => {
  it("applies AWS's defaults", () => {
    expect(resolveMappingConfig({ StartingPosition: 'TRIM_HORIZON' })).toEqual({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      ParallelizationFactor: 1,
      TumblingWindowInSeconds: 0,
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: false,
      Enabled: true,
      ReportBatchItemFailures: false,
    });
  });

  it.each([
    [{ BatchSize: 0 }, 'BatchSize: must be an integer from 1 to 10000; got 0'],
    [{ BatchSize: 10001 }, 'BatchSize: must be an integer from 1 to 10000; got 10001'],
    [{ BatchSize: 1.5 }, 'BatchSize: must be an integer from 1 to 10000; got 1.5'],
    [{ MaximumRetryAttempts: -2 }, 'MaximumRetryAttempts: must be -1 or an integer from 0 to 10000; got -2'],
    [
      { MaximumRecordAgeInSeconds: 59 },
      'MaximumRecordAgeInSeconds: must be -1 or an integer from 60 to 604800; got 59',
    ],
    [{ ParallelizationFactor: 11 }, 'ParallelizationFactor: must be an integer from 1 to 10; got 11'],
    [{ TumblingWindowInSeconds: 901 }, 'TumblingWindowInSeconds: must be an integer from 0 to 900; got 901'],
    [
      { MaximumBatchingWindowInSeconds: 301 },
      'MaximumBatchingWindowInSeconds: must be an integer from 0 to 300; got 301',
    ],
  ])('rejects %j naming the setting and its range', (settings, message) => {
    expect(() => resolveMappingConfig({ StartingPosition: 'LATEST', ...settings })).toThrow(message);
  });

  it('accepts -1 where AWS does', () => {
    const config = resolveMappingConfig({
      StartingPosition: 'LATEST',
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
    });
    expect(config.MaximumRetryAttempts).toBe(-1);
  });

  it('rejects AT_TIMESTAMP, which DynamoDB streams do not support', () => {
    expect(() => resolveMappingConfig({ StartingPosition: 'AT_TIMESTAMP' })).toThrow(MappingConfigError);
  });

  it('requires StartingPosition', () => {
    expect(() => resolveMappingConfig({})).toThrow(/StartingPosition: must be one of TRIM_HORIZON, LATEST/);
  });

  it('reads FunctionResponseTypes', () => {
    expect(
      resolveMappingConfig({ StartingPosition: 'LATEST', FunctionResponseTypes: ['ReportBatchItemFailures'] })
        .ReportBatchItemFailures,
    ).toBe(true);
    expect(() =>
      resolveMappingConfig({ StartingPosition: 'LATEST', FunctionResponseTypes: ['Other'] }),
    ).toThrow(/FunctionResponseTypes/);
  });

  it('rejects settings that do not exist', () => {
    expect(() => resolveMappingConfig({ StartingPosition: 'LATEST', BatchSise: 10 })).toThrow(
      /BatchSise: is not a DynamoDB/,
    );
  });
});
