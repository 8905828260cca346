import { describe, expect, it } from 'vitest';
import { ControlArgumentError } from '../../../../../local-runtime/emulator/control/controlArguments.js';
import { FaultInjector } from '../../../../../local-runtime/emulator/control/FaultInjector.js';

describe('FaultInjector', () => {
  it('answers the next count calls, by name or full target, then stops', () => {
    const faults = new FaultInjector();
    faults.failNext('GetRecords', 2, 'limitExceeded');
    expect(faults.take('DynamoDBStreams_20120810.GetRecords')?.name).toBe('LimitExceededException');
    expect(faults.take('DynamoDBStreams_20120810.GetRecords')?.name).toBe('LimitExceededException');
    expect(faults.take('DynamoDBStreams_20120810.GetRecords')).toBeUndefined();
  });

  it.each([
    ['PutItem', 1e9, 'throttling', /^count must be an integer from 1 to 1000000; got 1000000000$/],
    ['PutItem', Number.NaN, 'throttling', /^count must be .*; got NaN$/],
    ['PutItem', 0, 'throttling', /^count must be .*; got 0$/],
    ['PutItem', 1, 'meteor', /^kind must be one of throttling, limitExceeded/],
    ['MakeCoffee', 1, 'throttling', /^operation must be an operation the emulator serves/],
    ['DynamoDB_20120810.GetRecords', 1, 'throttling', /^operation must be/],
    ['EddyControl.RollOver', 1, 'throttling', /^operation must be/],
  ])('refuses failNext(%s, %s, %s), queueing nothing', (operation, count, kind, message) => {
    const faults = new FaultInjector();
    expect(() => faults.failNext(operation, count, kind as 'throttling')).toThrow(ControlArgumentError);
    expect(() => faults.failNext(operation, count, kind as 'throttling')).toThrow(message);
    expect(faults.take('DynamoDB_20120810.PutItem')).toBeUndefined();
  });

  it('clear drops every pending fault', () => {
    const faults = new FaultInjector();
    faults.failNext('PutItem', 1_000_000, 'internalError');
    faults.clear();
    expect(faults.take('DynamoDB_20120810.PutItem')).toBeUndefined();
  });
});
