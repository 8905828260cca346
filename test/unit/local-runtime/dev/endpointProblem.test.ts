import { describe, expect, it } from 'vitest';
import { endpointProblem } from '../../../../local-runtime/dev/endpointProblem.js';

const networkError = (code: string, message: string) => Object.assign(new Error(message), { code });
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('endpointProblem', () => {
  it('says nothing answers at the URL, with the cause and the fix', () => {
    expect(
      endpointProblem(
        networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8000'),
        'http://127.0.0.1:8000',
      ),
    ).toBe(
      'eddy dev: nothing answers at --endpoint http://127.0.0.1:8000 (connect ECONNREFUSED 127.0.0.1:8000): ' +
        'start DynamoDB Local (or your emulator) there, or give its URL',
    );
    for (const code of ['ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'])
      expect(endpointProblem(networkError(code, code), 'http://ddb:8000')).toMatch(
        /^eddy dev: nothing answers/,
      );
    expect(endpointProblem(named('TimeoutError', 'timed out'), 'http://ddb:8000')).toMatch(/nothing answers/);
  });

  // The SDK's credential chain: https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
  it('says how to give credentials when the SDK found none', () => {
    expect(
      endpointProblem(
        named('CredentialsProviderError', 'Could not load credentials from any providers'),
        'https://dynamodb.us-east-1.amazonaws.com',
      ),
    ).toMatch(
      /^eddy dev: no AWS credentials to sign for --endpoint https:\/\/dynamodb\.us-east-1\.amazonaws\.com: set AWS_PROFILE/,
    );
  });

  it('leaves any answer of the service alone: the endpoint is fine', () => {
    expect(endpointProblem(named('AccessDeniedException', 'not authorized'), 'https://x')).toBeUndefined();
    expect(endpointProblem(named('UnrecognizedClientException', 'bad key'), 'https://x')).toBeUndefined();
    expect(endpointProblem('not an error', 'https://x')).toBeUndefined();
  });
});
