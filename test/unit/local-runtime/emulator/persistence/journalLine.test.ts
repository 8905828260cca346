import { describe, expect, it } from 'vitest';
import { decodeLine, encodeLine } from '../../../../../local-runtime/emulator/persistence/journalLine.js';

const bytesOf = (line: string) => Buffer.from(line.slice(0, -1));

describe('journal lines', () => {
  it('reads back the JSON and the attached record texts it wrote', () => {
    const line = encodeLine(JSON.stringify({ n: 1, e: ['é', '\n'] }), ['{"a":"x\\ny"}', '{"b":1}']);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(decodeLine(bytesOf(line))).toEqual({
      value: { n: 1, e: ['é', '\n'] },
      attachments: ['{"a":"x\\ny"}', '{"b":1}'],
    });
  });

  it('finds a changed byte even when the line still parses (the checksum covers the payload)', () => {
    const line = encodeLine(JSON.stringify({ n: 12345 }));
    const damaged = bytesOf(line.replace('12345', '12355'));
    expect(JSON.parse(damaged.subarray(9).toString())).toEqual({ n: 12355 });
    expect(decodeLine(damaged)).toBe('checksum mismatch');
  });

  it('finds a line that is not `<crc> <payload>`', () => {
    expect(decodeLine(Buffer.from('{"t":"DynamoDB_20120810.PutItem"}'))).toBe('malformed line');
    expect(decodeLine(Buffer.from('zzzzzzzz {}'))).toBe('malformed line');
  });

  it('finds a payload that does not parse behind a matching checksum', () => {
    expect(decodeLine(bytesOf(encodeLine('{"n":')))).toBe('invalid JSON');
  });
});
