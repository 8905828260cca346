import { describe, expect, it } from 'vitest';
import { compileWildcard } from '../../../../../src/runtime/filter/compileWildcard.js';
import type { Scalar } from '../../../../../src/runtime/filter/PatternTree.js';

// EventBridge's operator; whether Lambda accepts it is UNCONFIRMED
// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html lists no wildcard).
describe(`${compileWildcard.name} (UNCONFIRMED on Lambda)`, () => {
  it.each<[string, Scalar, boolean]>([
    ['Simple*Service', 'SimpleQueueService', true],
    ['Simple*Service', 'SimpleService', true],
    ['Simple*Service', 'SimpleQueueServices', false],
    ['*.png', 'dir/a.png', true],
    ['*.png', '.png', true],
    ['*.png', 'a.gif', false],
    ['dir/*', 'dir/', true],
    ['*', '', true],
    ['*', 'anything', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYbZc', true],
    ['a*b*c', 'acb', false],
    ['a*ab', 'ab', false],
    ['a*ab', 'aab', true],
    ['ab*ba', 'aba', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['lit\\*eral', 'lit*eral', true],
    ['lit\\*eral', 'litXeral', false],
    ['back\\\\slash', 'back\\slash', true],
    ['*', 42, false],
    ['*', null, false],
    ['a*', 'A', false],
    ['line*end', 'line\nend', true],
  ])('%j against %j', (wildcard, value, expected) => {
    expect(compileWildcard(wildcard)(value)).toBe(expected);
  });

  it.each<[unknown, string]>([
    [123, 'wildcard match pattern must be a string'],
    [['a*'], 'wildcard match pattern must be a string'],
    ['arn:**:bus', 'consecutive wildcard characters at pos 4'],
    ['a\\b', 'invalid escape character at pos 1'],
    ['trailing\\', 'invalid escape character at pos 8'],
  ])('refuses %j', (operand, message) => {
    expect(() => compileWildcard(operand)).toThrow(message);
  });

  it('matches a long string in linear time', () => {
    expect(compileWildcard('*a*a*a*a*a*a*a*a*b')('a'.repeat(100_000))).toBe(false);
  });
});
