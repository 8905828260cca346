import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const post = (target: string | undefined, body: string, contentType = 'application/x-amz-json-1.0') =>
  fetch(h.running.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(target === undefined ? {} : { 'X-Amz-Target': target }) },
    body,
  });

describe('the AWS JSON 1.0 protocol', () => {
  it('answers every request with a request id and the CRC32 of the exact body', async () => {
    const response = await post('DynamoDB_20120810.ListTables', '{}');
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[A-Z0-9]{52}$/);
    expect(response.headers.get('x-amz-crc32')).toBe(String(crc32(Buffer.from(body))));
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
  });

  it('answers malformed JSON with a SerializationException without a message', async () => {
    const response = await post('DynamoDB_20120810.ListTables', '{"TableName":');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'com.amazon.coral.service#SerializationException' });
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const response = await post('DynamoDB_20120810.MakeCoffee', '{}');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  });

  it('routes both APIs on one port by target', async () => {
    const response = await post('DynamoDBStreams_20120810.ListStreams', '{}');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ Streams: [] });
  });

  it('accepts application/json as DynamoDB does', async () => {
    const response = await post('DynamoDB_20120810.ListTables', '{}', 'application/json');
    expect(response.status).toBe(200);
  });

  it('answers GET / with a health line', async () => {
    const response = await fetch(h.running.endpoint);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^healthy: dynamodb\.us-east-1\.amazonaws\.com/);
  });

  it('refuses other methods', async () => {
    const response = await fetch(h.running.endpoint, { method: 'PUT', body: '{}' });
    expect(response.status).toBe(404);
  });

  it('uses validation errors in the coral namespace', async () => {
    const response = await post('DynamoDB_20120810.DescribeTable', '{}');
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message:
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    });
  });
});
