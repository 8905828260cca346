import { describe, expect, it } from 'vitest';
import {
  formatAmzDate,
  parseAmzDate,
} from '../../../../../../local-runtime/emulator/server/sigv4/amzDate.js';
import {
  canonicalHeaders,
  canonicalHeaderValue,
  collectHeaders,
} from '../../../../../../local-runtime/emulator/server/sigv4/canonicalHeaders.js';
import { canonicalQuery } from '../../../../../../local-runtime/emulator/server/sigv4/canonicalQuery.js';
import { canonicalUri } from '../../../../../../local-runtime/emulator/server/sigv4/canonicalUri.js';
import { constantTimeEqual } from '../../../../../../local-runtime/emulator/server/sigv4/constantTimeEqual.js';
import { uriEncode } from '../../../../../../local-runtime/emulator/server/sigv4/uriEncode.js';

describe('canonicalUri', () => {
  it("normalizes the path as the SDK signer does (the suite's normalize-path cases)", () => {
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('//')).toBe('/');
    expect(canonicalUri('/example/..')).toBe('/');
    expect(canonicalUri('/example1/example2/../..')).toBe('/');
    expect(canonicalUri('/./')).toBe('/');
    expect(canonicalUri('/./example')).toBe('/example');
    expect(canonicalUri('//example//')).toBe('/example/');
  });

  it('encodes the path as sent once more, so an encoded space is signed as %2520', () => {
    expect(canonicalUri('/example space/')).toBe('/example%20space/');
    expect(canonicalUri('/example%20space/')).toBe('/example%2520space/');
  });
});

describe('canonicalQuery', () => {
  it('sorts by name then value and gives a bare name an empty value', () => {
    expect(canonicalQuery('b=2&a=1&A=0&a=0&flag')).toBe('A=0&a=0&a=1&b=2&flag=');
  });

  it('decodes then re-encodes with SigV4 encoding', () => {
    expect(canonicalQuery("k=a%20b&x=!'()*")).toBe('k=a%20b&x=%21%27%28%29%2A');
  });

  it('keeps text that is not valid percent-encoding as it is (then encodes it)', () => {
    expect(canonicalQuery('k=%E1%88')).toBe('k=%25E1%2588');
  });
});

describe('canonical headers', () => {
  it('joins repeated headers with a bare comma and trims each value', () => {
    const headers = collectHeaders(['X-A', '  one  ', 'x-a', 'two\r\n  three', 'Host', 'h']);
    expect(canonicalHeaders(['host', 'x-a'], headers)).toBe('host:h\nx-a:one,two three\n');
  });

  it('signs a missing signed header as empty', () => {
    expect(canonicalHeaders(['x-missing'], collectHeaders([]))).toBe('x-missing:\n');
  });

  it('collapses runs of spaces and tabs', () => {
    expect(canonicalHeaderValue(' a \t  b ')).toBe('a b');
  });
});

describe('helpers', () => {
  it('encodes UTF-8 bytes and never throws on a lone surrogate', () => {
    expect(uriEncode('ሴ')).toBe('%E1%88%B4');
    expect(uriEncode('\ud800')).toBe('%EF%BF%BD');
    expect(uriEncode('-._~aZ09')).toBe('-._~aZ09');
  });

  it('reads and writes ISO-8601 basic times, refusing impossible ones', () => {
    expect(parseAmzDate('20150830T123600Z')).toBe(Date.UTC(2015, 7, 30, 12, 36, 0));
    expect(parseAmzDate('20151330T123600Z')).toBeUndefined();
    expect(parseAmzDate('201')).toBeUndefined();
    expect(formatAmzDate(Date.UTC(2015, 7, 30, 12, 36, 0, 999))).toBe('20150830T123600Z');
  });

  it('compares strings of any lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
