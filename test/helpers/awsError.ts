import { expect } from 'vitest';

/** The error a request failed with (the SDK's modeled exception), or a test failure if it succeeded. */
const awsError = async (request: Promise<unknown>): Promise<Error & Record<string, unknown>> => {
  try {
    await request;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the request to fail');
};

/** Asserts that a request fails with DynamoDB's exception `name` and exactly `message` (or a match of it). */
const expectAwsError = async (
  request: Promise<unknown>,
  name: string,
  message: string | RegExp,
): Promise<void> => {
  const error = await awsError(request);
  expect(error.name).toBe(name);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
};

export { awsError, expectAwsError };
