import { describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../../../local-runtime/emulator/errors.js';
import { Constraints } from '../../../../../local-runtime/emulator/validation/Constraints.js';

const messageOf = (fill: (constraints: Constraints) => void): string | undefined => {
  const constraints = new Constraints();
  fill(constraints);
  try {
    constraints.check();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AwsServiceError);
    expect((error as AwsServiceError).name).toBe('ValidationException');
    return (error as Error).message;
  }
};

describe('Constraints', () => {
  it('quotes a number out of its range as DynamoDB does', () => {
    expect(messageOf((c) => c.range('limit', 0, 1, 100))).toBe(
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect(messageOf((c) => c.range('limit', 101, 1, 100))).toBe(
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
    );
  });

  it('passes numbers within the range, and leaves values that are not numbers alone', () => {
    expect(messageOf((c) => c.range('limit', 1, 1, 100))).toBeUndefined();
    expect(messageOf((c) => c.range('limit', 100, 1, 100))).toBeUndefined();
    expect(messageOf((c) => c.range('limit', undefined, 1, 100))).toBeUndefined();
  });

  it('prints null unquoted and strings quoted, several failures joined in order', () => {
    expect(
      messageOf((c) => {
        c.notNull('tableName', undefined);
        c.oneOf('select', 'hi', ['COUNT']);
        c.range('segment', -1, 0, 999_999);
      }),
    ).toBe(
      "3 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; " +
        "Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [COUNT]; " +
        "Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0",
    );
  });

  it("words a failure without the value in the newer framework's style", () => {
    expect(
      messageOf((c) =>
        c.failUnechoed('RequestItems.t.member.Keys', 'Member must have length less than or equal to 100'),
      ),
    ).toBe(
      "1 validation error detected: Value at 'RequestItems.t.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100",
    );
  });
});
