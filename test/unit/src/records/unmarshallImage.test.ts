import { unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { unmarshallImage } from '../../../../src/records/unmarshallImage.js';
import { toSdkMap } from '../../../../src/records/wireRecord.js';

const plain: AttributeMap = {
  id: { S: 'o-1' },
  total: { N: '12.5' },
  tags: { SS: ['a', 'b'] },
  sizes: { NS: ['1', '2'] },
  flag: { BOOL: false },
  none: { NULL: true },
  lines: { L: [{ S: 'x' }, { M: { n: { N: '3' } } }] },
  address: { M: { city: { S: 'Lyon' } } },
};

describe('unmarshallImage', () => {
  it('gives what unmarshall gives of the SDK form, for an image without binary', () => {
    expect(unmarshallImage(plain)).toEqual(unmarshall(toSdkMap(plain)));
    expect(unmarshallImage(plain)).toEqual({
      id: 'o-1',
      total: 12.5,
      tags: new Set(['a', 'b']),
      sizes: new Set([1, 2]),
      flag: false,
      none: null,
      lines: ['x', { n: 3 }],
      address: { city: 'Lyon' },
    });
  });

  it.each([
    ['at the top', { blob: { B: 'AQI=' } }],
    ['as a set', { blobs: { BS: ['AQ==', 'Ag=='] } }],
    ['in a map', { m: { M: { inner: { M: { blob: { B: 'AQI=' } } } } } }],
    ['in a list', { l: { L: [{ S: 'x' }, { L: [{ B: 'AQI=' }] }] } }],
  ] as [string, AttributeMap][])('decodes binary %s to bytes', (_where, binary) => {
    const image = { ...plain, ...binary };
    const native = unmarshallImage<Record<string, unknown>>(image);
    expect(native).toEqual(unmarshall(toSdkMap(image)));
    expect(JSON.stringify(native)).not.toContain('AQ');
  });

  it('leaves the image as it was', () => {
    const image = structuredClone({ ...plain, blob: { B: 'AQI=' } });
    const before = structuredClone(image);
    unmarshallImage(image);
    unmarshallImage(plain);
    expect(image).toEqual(before);
  });
});
