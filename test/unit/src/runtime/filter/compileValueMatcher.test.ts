import { describe, expect, it } from 'vitest';
import { compileValueMatcher } from '../../../../../src/runtime/filter/compileValueMatcher.js';
import type { Scalar } from '../../../../../src/runtime/filter/PatternTree.js';

const accepts = (element: unknown, value: Scalar): boolean => {
  const matcher = compileValueMatcher(element);
  if (matcher.kind !== 'test') throw new Error('expected a value test');
  return matcher.test(value);
};

describe(compileValueMatcher.name, () => {
  it.each<[string, unknown, Scalar, boolean]>([
    // Literals: exact, typed, case-sensitive
    ['a string', 'INSERT', 'INSERT', true],
    ['a string, other case', 'INSERT', 'insert', false],
    ['a string against a number', '42', 42, false],
    ['a number against a string', 42, '42', false],
    ['a number', 42, 42, true],
    ['numbers by value (300 matches 300.0)', 300, 300.0, true],
    ['a number, other value', 42, 42.5, false],
    ['true', true, true, true],
    ['true against "true"', true, 'true', false],
    ['false', false, false, true],
    ['[null] against null', null, null, true],
    ['[null] against ""', null, '', false],
    ['[""] against ""', '', '', true],
    ['[""] against null', '', null, false],
    // prefix / suffix
    ['prefix', { prefix: 'us-' }, 'us-east-1', true],
    ['prefix, no match', { prefix: 'us-' }, 'eu-west-1', false],
    ['prefix, case-sensitive', { prefix: 'US-' }, 'us-east-1', false],
    ['prefix on a number', { prefix: '4' }, 42, false],
    ['empty prefix matches any string', { prefix: '' }, 'x', true],
    ['suffix', { suffix: '.png' }, 'a/b.png', true],
    ['suffix, no match', { suffix: '.png' }, 'a/b.PNG', false],
    ['suffix on null', { suffix: '' }, null, false],
    // Case-insensitive forms (prefix/suffix ones are UNCONFIRMED on Lambda)
    ['equals-ignore-case', { 'equals-ignore-case': 'Shipped' }, 'sHIPPED', true],
    ['equals-ignore-case, other word', { 'equals-ignore-case': 'Shipped' }, 'shipping', false],
    ['equals-ignore-case on a number', { 'equals-ignore-case': '42' }, 42, false],
    ['equals-ignore-case folds ß and SS', { 'equals-ignore-case': 'STRASSE' }, 'straße', true],
    [
      'prefix ignoring case (UNCONFIRMED on Lambda)',
      { prefix: { 'equals-ignore-case': 'US-' } },
      'us-east-1',
      true,
    ],
    [
      'suffix ignoring case (UNCONFIRMED on Lambda)',
      { suffix: { 'equals-ignore-case': '.PNG' } },
      'a.png',
      true,
    ],
    [
      'suffix ignoring case, no match (UNCONFIRMED on Lambda)',
      { suffix: { 'equals-ignore-case': '.PNG' } },
      'a.gif',
      false,
    ],
    // The other operators are compiled by their own modules
    ['anything-but', { 'anything-but': 'x' }, 'y', true],
    ['numeric', { numeric: ['=', 1] }, 1, true],
    ['wildcard (UNCONFIRMED on Lambda)', { wildcard: 'a*' }, 'ab', true],
    ['cidr (UNCONFIRMED on Lambda)', { cidr: '10.0.0.0/8' }, '10.1.2.3', true],
  ])('%s', (_name, element, value, expected) => {
    expect(accepts(element, value)).toBe(expected);
  });

  it.each([
    [{ exists: true }, true],
    [{ exists: false }, false],
  ])('compiles %j to a presence check', (element, exists) => {
    expect(compileValueMatcher(element)).toEqual({ kind: 'exists', exists });
  });

  it.each<[string, string]>([
    ['{"prefix":{"equals-ignore-case":1}}', 'equals-ignore-case match pattern must be a string'],
    ['{"prefix":{"suffix":"x"}}', 'Unsupported prefix pattern: suffix'],
    ['{"suffix":{}}', 'Unsupported suffix pattern: {}'],
    ['{"exists":1}', 'exists match pattern must be either true or false.'],
    ['{"__proto__":"x"}', 'Unrecognized match type __proto__'],
    ['{"toString":"x"}', 'Unrecognized match type toString'],
    ['[1]', 'Match value must be String, number, true, false, or null'],
  ])('refuses %s', (json, message) => {
    expect(() => compileValueMatcher(JSON.parse(json))).toThrow(message);
  });
});
