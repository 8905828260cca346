import { describe, expect, it } from 'vitest';
import { AccessKeys } from '../../../../../local-runtime/emulator/server/AccessKeys.js';
import { parseCredentials } from '../../../../../local-runtime/emulator/server/parseCredentials.js';

describe('AccessKeys', () => {
  const keys = new AccessKeys([
    { accessKeyId: 'AKIDA', secretAccessKey: 'a' },
    { accessKeyId: 'AKIDB', secretAccessKey: 'b', accountId: '111122223333' },
    { accessKeyId: '444455556666', secretAccessKey: 'c', accountId: '777788889999' },
  ]);

  it('knows the secrets of its keys only', () => {
    expect(keys.secretFor('AKIDA')).toBe('a');
    expect(keys.secretFor('nobody')).toBeUndefined();
    expect(keys.size).toBe(3);
  });

  it("gives a key its configured account, else a 12-digit key's own value, else none (the default)", () => {
    expect(keys.accountFor('AKIDB')).toBe('111122223333');
    expect(keys.accountFor('444455556666')).toBe('777788889999');
    expect(keys.accountFor('123456789012')).toBe('123456789012');
    expect(keys.accountFor('AKIDA')).toBeUndefined();
    expect(keys.accountFor('1234567890123')).toBeUndefined();
    expect(keys.accountFor(undefined)).toBeUndefined();
  });

  it('refuses malformed keys and accounts, and one key configured twice differently', () => {
    expect(() => new AccessKeys([{ accessKeyId: '', secretAccessKey: 's' }])).toThrow(/access key id/);
    expect(() => new AccessKeys([{ accessKeyId: 'a/b', secretAccessKey: 's' }])).toThrow(/access key id/);
    expect(() => new AccessKeys([{ accessKeyId: 'a', secretAccessKey: '' }])).toThrow(/empty secret/);
    expect(() => new AccessKeys([{ accessKeyId: 'a', secretAccessKey: 's', accountId: '12' }])).toThrow(
      /12 digits/,
    );
    expect(
      () =>
        new AccessKeys([
          { accessKeyId: 'a', secretAccessKey: 's' },
          { accessKeyId: 'a', secretAccessKey: 't' },
        ]),
    ).toThrow(/twice/);
  });
});

describe('parseCredentials', () => {
  it('reads AKID:SECRET[:ACCOUNT] lists separated by commas or spaces', () => {
    expect(parseCredentials('AK1:s1, AK2:s2/+=:111122223333\nAK3:s3')).toEqual([
      { accessKeyId: 'AK1', secretAccessKey: 's1' },
      { accessKeyId: 'AK2', secretAccessKey: 's2/+=', accountId: '111122223333' },
      { accessKeyId: 'AK3', secretAccessKey: 's3' },
    ]);
    expect(parseCredentials('  ')).toEqual([]);
  });

  it('refuses malformed entries without repeating the secret', () => {
    expect(() => parseCredentials('AK1')).toThrow(
      "credentials 'AK1:…' must be AKID:SECRET or AKID:SECRET:ACCOUNT",
    );
    expect(() => parseCredentials('AK1:topsecret:1:2')).toThrow(/must be AKID:SECRET/);
    expect(() => parseCredentials('AK1:topsecret:')).toThrow(/must be AKID:SECRET/);
    expect(() => parseCredentials('AK1:topsecret:12345')).toThrow(
      "credentials 'AK1:…:12345': the account id must be 12 digits",
    );
    expect(() => parseCredentials('AK1:topsecret:12345')).not.toThrow(/topsecret/);
  });
});
