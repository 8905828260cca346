import { describe, expect, it } from 'vitest';
import { checkCollectionTtl, collectionAttributes } from '../../../../src/operators/collectionTtl.js';
import { isTombstone } from '../../../../src/operators/isTombstone.js';

describe(checkCollectionTtl.name, () => {
  it('refuses a TTL shorter than the stream keeps records, naming the option', () => {
    expect(() => checkCollectionTtl({ attribute: 'ttl', seconds: 3600 }, 'project: tombstoneTtl')).toThrow(
      /^project: tombstoneTtl.seconds must be a whole number of at least 86400/,
    );
    expect(() => checkCollectionTtl({ attribute: '', seconds: 86_400 }, 'x')).toThrow(/x.attribute/);
    expect(() => checkCollectionTtl({ attribute: 'ttl', seconds: 86_400 }, 'x')).not.toThrow();
    expect(() => checkCollectionTtl(undefined, 'x')).not.toThrow();
  });

  it('derives the TTL attribute from the change time, in whole seconds', () => {
    expect(collectionAttributes({ attribute: 'ttl', seconds: 86_400 }, 1_767_225_600.9)).toEqual({
      ttl: 1_767_225_600 + 86_400,
    });
    expect(collectionAttributes(undefined, 1)).toEqual({});
  });
});

describe(isTombstone.name, () => {
  it('recognises tombstones as the low-level client and the document client return them', () => {
    expect(isTombstone({ id: { S: 'a' }, eddy_deleted: { BOOL: true } })).toBe(true);
    expect(isTombstone({ id: 'a', eddy_deleted: true })).toBe(true);
    expect(isTombstone({ id: 'a' })).toBe(false);
    expect(isTombstone({ id: 'a', eddy_deleted: { BOOL: false } })).toBe(false);
    expect(isTombstone(undefined)).toBe(false);
  });
});
