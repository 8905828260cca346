import { describe, expect, it } from 'vitest';
import { checkExpressionParameters } from '../../../../../../local-runtime/emulator/dynamodb/reads/expressionParameters.js';

const stray = { ':v': { S: 'x' } };

describe('checkExpressionParameters', () => {
  it('ignores ExpressionAttributeValues where the only expression is a projection (no such member)', () => {
    const check = (input: Record<string, unknown>) =>
      checkExpressionParameters(input, ['ProjectionExpression'], ['AttributesToGet']);
    expect(() => check({ ExpressionAttributeValues: stray })).not.toThrow();
    expect(() => check({ ProjectionExpression: 'a', ExpressionAttributeValues: stray })).not.toThrow();
  });

  it("names the expressions that could use them when none is there, in DynamoDB's words", () => {
    expect(() =>
      checkExpressionParameters(
        { ProjectionExpression: 'a', ExpressionAttributeValues: stray },
        ['ProjectionExpression', 'FilterExpression'],
        ['ScanFilter'],
      ),
    ).toThrow(
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null',
    );
    expect(() =>
      checkExpressionParameters(
        { ExpressionAttributeValues: stray },
        ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
        ['QueryFilter'],
      ),
    ).toThrow(
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    );
  });
});
