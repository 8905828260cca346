import { describe, expect, it } from 'vitest';
import { endpointKind } from '../../../../local-runtime/dev/endpointKind.js';

// AWS's DynamoDB endpoints: https://docs.aws.amazon.com/general/latest/gr/ddb.html
describe('endpointKind', () => {
  it('is embedded without --endpoint', () => {
    expect(endpointKind(undefined)).toBe('embedded');
  });

  it.each([
    'https://dynamodb.us-east-1.amazonaws.com',
    'https://dynamodb-fips.us-gov-west-1.amazonaws.com',
    'https://dynamodb.eu-west-1.api.aws',
    'https://dynamodb.cn-north-1.amazonaws.com.cn',
    'https://streams.dynamodb.us-east-1.amazonaws.com',
  ])('knows an AWS endpoint: %s', (url) => {
    expect(endpointKind(url)).toBe('aws');
  });

  it.each([
    'http://localhost:8000',
    'http://127.0.0.1:8000',
    'http://dynamodb-local:8000',
    'http://localstack.amazonaws.com.evil.test:4566',
    'http://notamazonaws.com:8000',
  ])('treats anything else as an emulator: %s', (url) => {
    expect(endpointKind(url)).toBe('other');
  });

  it('refuses what is not an http(s) URL, saying what to give', () => {
    expect(() => endpointKind('localhost:8000')).toThrow(/--endpoint localhost:8000 must be an http/);
    expect(() => endpointKind('8000')).toThrow(
      /--endpoint 8000 is not a URL \(e\.g\. http:\/\/localhost:8000\)/,
    );
  });
});
