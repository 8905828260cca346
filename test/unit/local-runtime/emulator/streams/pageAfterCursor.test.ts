import { describe, expect, it } from 'vitest';
import { pageAfterCursor } from '../../../../../local-runtime/emulator/streams/pageAfterCursor.js';

const ids = ['b', 'd', 'f'];
const page = (cursor: string | undefined, limit = 100) => pageAfterCursor(ids, (id) => id, cursor, limit);

describe('pageAfterCursor', () => {
  it('starts at the beginning without a cursor and names the last entry only when more follow', () => {
    expect(page(undefined)).toEqual({ page: ['b', 'd', 'f'] });
    expect(page(undefined, 2)).toEqual({ page: ['b', 'd'], last: 'd' });
    expect(page(undefined, 3)).toEqual({ page: ['b', 'd', 'f'] });
  });

  it('continues right after a cursor that names an entry', () => {
    expect(page('b', 1)).toEqual({ page: ['d'], last: 'd' });
    expect(page('d')).toEqual({ page: ['f'] });
    expect(page('f')).toEqual({ page: [] });
  });

  it('continues where a cursor that names no entry would sort', () => {
    expect(page('a')).toEqual({ page: ['b', 'd', 'f'] });
    expect(page('c')).toEqual({ page: ['d', 'f'] });
    expect(page('c', 1)).toEqual({ page: ['d'], last: 'd' });
    expect(page('z')).toEqual({ page: [] });
  });

  it('follows listing order after a known cursor, even where ids are not sorted', () => {
    const listed = ['x2', 'x1', 'x3'];
    expect(pageAfterCursor(listed, (id) => id, 'x2', 100)).toEqual({ page: ['x1', 'x3'] });
  });
});
