import { describe, expect, it } from 'vitest';
import {
  type FunctionEnvironmentInput,
  functionEnvironment,
} from '../../../../local-runtime/dev/functionEnvironment.js';

const fn = {
  functionName: 'app-Projection',
  memorySize: 256,
  runtime: 'nodejs24.x',
  environment: { VIEW_TABLE: 'order-view' },
};
const DUMMY = { accessKeyId: 'eddy', secretAccessKey: 'eddy' };
const environmentOf = (overrides: Partial<FunctionEnvironmentInput>) =>
  functionEnvironment({
    inherited: {},
    fn,
    region: 'eu-west-1',
    endpoint: { url: 'http://127.0.0.1:8000', kind: 'embedded' },
    ...overrides,
  });

// The variables are the SDK's: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
describe('functionEnvironment', () => {
  it("sets Lambda's reserved variables to the mapping's region and the function's settings", () => {
    expect(environmentOf({ inherited: { AWS_REGION: 'us-west-2', HOME: '/home/me' } })).toMatchObject({
      HOME: '/home/me',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'app-Projection',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      VIEW_TABLE: 'order-view',
    });
  });

  it('points every client at the embedded emulator and drops the endpoints eddy dev inherited', () => {
    const env = environmentOf({
      inherited: {
        AWS_ENDPOINT_URL_DYNAMODB: 'http://elsewhere:4566',
        AWS_ENDPOINT_URL_SQS: 'http://elsewhere:9324',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
        AWS_SESSION_TOKEN: 'token-of-other-keys',
      },
      credentials: DUMMY,
    });
    expect(env.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:8000');
    expect(Object.keys(env).filter((name) => name.startsWith('AWS_ENDPOINT_URL'))).toEqual([
      'AWS_ENDPOINT_URL',
    ]);
    expect(env).not.toHaveProperty('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS');
    expect(env).not.toHaveProperty('AWS_SESSION_TOKEN');
    expect(env).toMatchObject({ AWS_ACCESS_KEY_ID: 'eddy', AWS_SECRET_ACCESS_KEY: 'eddy' });
  });

  it("points DynamoDB and DynamoDB Streams clients at another endpoint, keeping the user's other endpoints", () => {
    const env = environmentOf({
      inherited: {
        AWS_ENDPOINT_URL_DYNAMODB: 'http://stale:1',
        AWS_ENDPOINT_URL_SQS: 'http://localhost:9324',
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      },
      endpoint: { url: 'http://localhost:8001', kind: 'other' },
      credentials: DUMMY,
    });
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:8001',
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: 'http://localhost:8001',
      AWS_ENDPOINT_URL_SQS: 'http://localhost:9324',
      AWS_ACCESS_KEY_ID: 'eddy',
      AWS_SECRET_ACCESS_KEY: 'eddy',
    });
    expect(env).not.toHaveProperty('AWS_ENDPOINT_URL');
    expect(env).not.toHaveProperty('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS');
  });

  it("leaves the user's own credentials alone when eddy chose none (they resolve them as eddy did)", () => {
    const env = environmentOf({
      inherited: { AWS_PROFILE: 'dev', AWS_ACCESS_KEY_ID: 'AKIAUSER', AWS_SESSION_TOKEN: 'session' },
      endpoint: { url: 'http://localhost:8001', kind: 'other' },
    });
    expect(env).toMatchObject({
      AWS_PROFILE: 'dev',
      AWS_ACCESS_KEY_ID: 'AKIAUSER',
      AWS_SESSION_TOKEN: 'session',
    });
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
  });

  it('changes no endpoint or credential against AWS, whatever eddy was given', () => {
    const inherited = {
      AWS_ENDPOINT_URL_DYNAMODB: 'https://dynamodb-fips.us-east-1.amazonaws.com',
      AWS_PROFILE: 'prod',
    };
    const env = environmentOf({
      inherited,
      endpoint: { url: 'https://dynamodb.eu-west-1.amazonaws.com', kind: 'aws' },
      credentials: DUMMY,
    });
    expect(env).toMatchObject(inherited);
    for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS', 'AWS_ACCESS_KEY_ID'])
      expect(env).not.toHaveProperty(name);
    expect(env.AWS_REGION).toBe('eu-west-1');
  });

  it("lets the template's Environment.Variables win, even over eddy's endpoint and region", () => {
    const env = environmentOf({
      fn: {
        ...fn,
        environment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://mine:9000', AWS_REGION: 'ap-south-1' },
      },
      endpoint: { url: 'http://localhost:8001', kind: 'other' },
    });
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe('http://mine:9000');
    expect(env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS).toBe('http://localhost:8001');
    expect(env.AWS_REGION).toBe('ap-south-1');
  });
});
