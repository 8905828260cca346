import { describe, expect, it } from 'vitest';
import { readPlainRequest } from '../../../../../local-runtime/emulator/server/plainRequests.js';
import { rawHeaderValues } from '../../../../../local-runtime/emulator/server/sigv4/canonicalHeaders.js';

// The fast path keeps a request's headers as the received block and where each name and value lies in it
// (PlainRequest); what it answers must be what node's rawHeaders, collected by name, would have given.

const OPTIONS = { maxBodyBytes: 1024, reservedPathPrefix: '/_eddy/' };

const read = (head: string, body = '{}') => {
  const bytes = Buffer.from(`${head}Content-Length: ${body.length}\r\n\r\n${body}`, 'latin1');
  const result = readPlainRequest(bytes, 0, OPTIONS);
  if (result === undefined) throw new Error('not a plain request');
  return result.request;
};

describe('PlainRequest', () => {
  const head =
    'POST / HTTP/1.1\r\nHost: localhost:8000\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n' +
    'x-custom:  padded value \t\r\nX-CUSTOM: second\r\nContent-Type: application/x-amz-json-1.0\r\n' +
    'x-empty:\r\nx-latin: caf\xe9\r\n';

  it('gives every value of a header, in order, whatever the case of its name, trimmed as node trims them', () => {
    const request = read(head);
    expect(request.get('host')).toEqual(['localhost:8000']);
    expect(request.get('x-amz-target')).toEqual(['DynamoDB_20120810.ListTables']);
    expect(request.get('x-custom')).toEqual(['padded value', 'second']);
    expect(request.get('x-empty')).toEqual(['']);
    expect(request.get('x-latin')).toEqual(['caf\xe9']);
    expect(request.get('origin')).toBeUndefined();
    expect(request.has('content-type')).toBe(true);
    expect(request.has('x-amz-targe')).toBe(false);
  });

  it("lists the headers as node's rawHeaders does, and collects them as rawHeaderValues does", () => {
    const request = read(head);
    expect(request.rawHeaders).toEqual([
      'Host',
      'localhost:8000',
      'X-Amz-Target',
      'DynamoDB_20120810.ListTables',
      'x-custom',
      'padded value',
      'X-CUSTOM',
      'second',
      'Content-Type',
      'application/x-amz-json-1.0',
      'x-empty',
      '',
      'x-latin',
      'caf\xe9',
      'Content-Length',
      '2',
    ]);
    const collected = rawHeaderValues(request.rawHeaders);
    expect([...request.entries()]).toEqual([...collected.entries()]);
    expect(request.size).toBe(collected.size);
    expect([...request.keys()]).toEqual([...collected.keys()]);
  });

  it('keeps the body as the bytes after the head', () => {
    expect(read(head, '{"a":1}').body.toString()).toBe('{"a":1}');
  });
});
