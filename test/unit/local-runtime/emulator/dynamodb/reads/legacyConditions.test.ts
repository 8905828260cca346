import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../../../../../local-runtime/emulator/dynamodb/expressions/index.js';
import {
  legacyFilter,
  readLegacyConditions,
} from '../../../../../../local-runtime/emulator/dynamodb/reads/legacyConditions.js';
import { AwsServiceError } from '../../../../../../local-runtime/emulator/errors.js';
import type { AttributeMap } from '../../../../../../src/records/attributeValue.js';

const item: AttributeMap = {
  name: { S: 'widget' },
  price: { N: '15' },
  tags: { SS: ['red', 'blue'] },
  code: { B: Buffer.from('abc').toString('base64') },
};

const matches = (conditions: Record<string, unknown>, operator?: string, target = item) => {
  const filter = legacyFilter(readLegacyConditions(conditions, 'scanFilter'), operator);
  return filter === undefined || evaluateCondition(filter, target);
};

const messageOf = (conditions: Record<string, unknown>): string => {
  try {
    readLegacyConditions(conditions, 'scanFilter');
  } catch (error) {
    expect(error).toBeInstanceOf(AwsServiceError);
    return (error as AwsServiceError).message;
  }
  throw new Error('expected a ValidationException');
};

const c = (ComparisonOperator: string, ...AttributeValueList: unknown[]) => ({
  ComparisonOperator,
  AttributeValueList,
});

describe('legacy filters', () => {
  it.each([
    [{ price: c('EQ', { N: '15.0' }) }, true],
    [{ price: c('NE', { N: '15' }) }, false],
    [{ missing: c('NE', { N: '15' }) }, true],
    [{ price: c('LT', { N: '20' }) }, true],
    [{ price: c('LE', { N: '15' }) }, true],
    [{ price: c('GT', { N: '15' }) }, false],
    [{ price: c('GE', { N: '15' }) }, true],
    [{ price: c('BETWEEN', { N: '10' }, { N: '15' }) }, true],
    [{ price: c('IN', { N: '1' }, { N: '15' }) }, true],
    [{ name: c('BEGINS_WITH', { S: 'wid' }) }, true],
    [{ code: c('BEGINS_WITH', { B: Buffer.from('ab').toString('base64') }) }, true],
    [{ name: c('CONTAINS', { S: 'dge' }) }, true],
    [{ tags: c('CONTAINS', { S: 'red' }) }, true],
    [{ tags: c('NOT_CONTAINS', { S: 'red' }) }, false],
    [{ tags: c('NOT_CONTAINS', { S: 'green' }) }, true],
    // Unlike NOT contains() in an expression, NOT_CONTAINS needs the attribute (DynamoDB Local agrees).
    [{ missing: c('NOT_CONTAINS', { S: 'red' }) }, false],
    [{ name: c('NOT_NULL') }, true],
    [{ name: c('NULL') }, false],
    [{ missing: c('NULL') }, true],
    [{ price: c('LT', { S: '20' }) }, false],
  ])('%j matches: %s', (conditions, expected) => {
    expect(matches(conditions)).toBe(expected);
  });

  it('joins conditions with AND unless ConditionalOperator is OR', () => {
    const conditions = { price: c('GT', { N: '100' }), name: c('EQ', { S: 'widget' }) };
    expect(matches(conditions)).toBe(false);
    expect(matches(conditions, 'AND')).toBe(false);
    expect(matches(conditions, 'OR')).toBe(true);
  });

  it('is no filter at all when empty', () => {
    expect(legacyFilter([], undefined)).toBeUndefined();
  });

  it.each([
    [
      { a: c('EQ') },
      'One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator',
    ],
    [
      { a: c('NULL', { S: 'a' }) },
      'One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator',
    ],
    [
      { a: c('BETWEEN', { S: 'a' }) },
      'One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator',
    ],
    [
      { a: c('IN') },
      'One or more parameter values were invalid: Invalid number of argument(s) for the IN ComparisonOperator',
    ],
    [
      { a: c('IN', { S: 'b' }, { N: '1' }) },
      'One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type',
    ],
    [
      { a: c('LT', { BOOL: true }) },
      'One or more parameter values were invalid: ComparisonOperator LT is not valid for BOOL AttributeValue type',
    ],
    [
      { a: c('CONTAINS', { SS: ['a'] }) },
      'One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for SS AttributeValue type',
    ],
    [
      { a: c('BEGINS_WITH', { N: '1' }) },
      'One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type',
    ],
    [
      { a: c('BETWEEN', { S: 'b' }, { S: 'a' }) },
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    ],
    [
      { a: c('EQ', {}) },
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    ],
  ])('refuses %j', (conditions, message) => {
    expect(messageOf(conditions)).toBe(message);
  });
});
