import { describe, expect, it } from 'vitest';
import { compileAnythingBut } from '../../../../../src/runtime/filter/compileAnythingBut.js';
import type { Scalar } from '../../../../../src/runtime/filter/PatternTree.js';

describe(compileAnythingBut.name, () => {
  it.each<[string, unknown, Scalar, boolean]>([
    ['a string: another string', 'initializing', 'running', true],
    ['a string: that string', 'initializing', 'initializing', false],
    ['a string: a number', '101', 42, true],
    ['a string: an N attribute of another value', '101', '42', true],
    ['a string: JSON null (recorded against AWS by EventBridge)', 'initializing', null, true],
    ['a string: a boolean', 'x', false, true],
    ['a number: another number', 0, 789, true],
    ['a number: that number', 123, 123, false],
    ['a number: that number as a string', 123, '123', true],
    ['strings: none of them', ['stopped', 'overloaded'], 'running', true],
    ['strings: one of them', ['stopped', 'overloaded'], 'stopped', false],
    ['numbers: none of them', [100, 200, 300], 301.8, true],
    ['numbers: one of them', [100, 200, 300], 200, false],
    ['prefix: another prefix', { prefix: 'init' }, 'running', true],
    ['prefix: that prefix', { prefix: 'init' }, 'initializing', false],
    ['prefix: a number (recorded against AWS by EventBridge)', { prefix: 'init' }, 12, true],
    ['prefix list (UNCONFIRMED on Lambda)', { prefix: ['a', 'b'] }, 'bee', false],
    ['suffix (UNCONFIRMED on Lambda)', { suffix: '.txt' }, 'a.png', true],
    ['suffix: that suffix (UNCONFIRMED on Lambda)', { suffix: ['.png', '.txt'] }, 'a.txt', false],
    ['equals-ignore-case (UNCONFIRMED on Lambda)', { 'equals-ignore-case': 'Stopped' }, 'STOPPED', false],
    [
      'equals-ignore-case list, null (UNCONFIRMED on Lambda)',
      { 'equals-ignore-case': ['a', 'b'] },
      null,
      true,
    ],
    ['wildcard (UNCONFIRMED on Lambda)', { wildcard: '*/dir/*' }, 'a/dir/b', false],
    ['wildcard, other path (UNCONFIRMED on Lambda)', { wildcard: ['*/dir/*'] }, 'a/b', true],
    ['an empty prefix list excludes nothing (UNCONFIRMED on Lambda)', { prefix: [] }, 'x', true],
  ])('%s', (_name, operand, value, expected) => {
    expect(compileAnythingBut(operand)(value)).toBe(expected);
  });

  it.each<[unknown, string]>([
    [null, 'Value of anything-but must be an array or single string/number value.'],
    [true, 'Value of anything-but must be an array or single string/number value.'],
    [[], 'either all values are number or string, mixed type is not supported'],
    [['a', 1], 'either all values are number or string, mixed type is not supported'],
    [['a', null], 'Inside anything but list, start|null|boolean is not supported.'],
    [[['a']], 'Inside anything but list, start|null|boolean is not supported.'],
    [{}, 'Anything-But expression name not found'],
    [{ numeric: ['>', 1] }, 'Unsupported anything-but pattern: numeric'],
    [{ prefix: 'a', suffix: 'b' }, 'Only one key allowed in match expression'],
    [{ prefix: '' }, 'Null prefix/suffix not allowed'],
    [{ suffix: ['.txt', ''] }, 'Null prefix/suffix not allowed'],
    [{ prefix: 123 }, 'prefix/suffix match pattern must be a string'],
    [{ suffix: [123, '.txt'] }, 'prefix/suffix match pattern must be a string'],
    [
      { prefix: { 'equals-ignore-case': 'file' } },
      'Value of anything-but must be an array or single string/number value.',
    ],
    [
      { 'equals-ignore-case': 123 },
      'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
    ],
    [{ 'equals-ignore-case': [123, 456] }, 'number|start|null|boolean is not supported.'],
    [{ wildcard: 123 }, 'wildcard match pattern must be a string'],
    [{ wildcard: ['**'] }, 'consecutive wildcard characters at pos 0'],
    [{ constructor: 'x' }, 'Unsupported anything-but pattern: constructor'],
  ])('refuses %j', (operand, message) => {
    expect(() => compileAnythingBut(operand)).toThrow(message);
  });
});
