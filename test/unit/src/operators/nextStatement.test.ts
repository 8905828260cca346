import { describe, expect, it } from 'vitest';
import { nextStatement } from '../../../../src/operators/nextStatement.js';
import { VIEW_SHAPE_ATTRIBUTE } from '../../../../src/operators/viewShape.js';

const SEQ = 'eddy_source_sequence';
const ours = '00000000000000000000000000000000000042';
const older = { S: '00000000000000000000000000000000000041' };
const newer = { S: '00000000000000000000000000000000000043' };
const refused = (item?: Record<string, { S: string }>) => ({
  Code: 'ConditionalCheckFailed' as const,
  Message: 'The conditional request failed',
  ...(item === undefined ? {} : { Item: item }),
});

describe('nextStatement: what a refused statement calls for', () => {
  it('a statement without an error is done', () => {
    expect(nextStatement({ kind: 'update' }, undefined, ours, SEQ)).toEqual({ kind: 'done' });
  });

  it('an UPDATE refused by a row as new or newer is settled; by an older row of another shape, a replace of exactly that row', () => {
    for (const sequence of [{ S: ours }, newer]) {
      const found = { id: { S: 'a' }, [SEQ]: sequence, [VIEW_SHAPE_ATTRIBUTE]: { S: 'x' } };
      expect(nextStatement({ kind: 'update' }, refused(found), ours, SEQ)).toEqual({ kind: 'settled' });
    }
    const found = { id: { S: 'a' }, note: { S: 'n' }, [SEQ]: older, [VIEW_SHAPE_ATTRIBUTE]: { S: 'x' } };
    expect(nextStatement({ kind: 'update' }, refused(found), ours, SEQ)).toEqual({
      kind: 'next',
      step: {
        kind: 'replace',
        replaced: { sequence: older, shape: { S: 'x' }, names: ['id', 'note', SEQ, VIEW_SHAPE_ATTRIBUTE] },
      },
    });
  });

  it('an UPDATE that found no row becomes an INSERT; an INSERT that found one becomes an UPDATE', () => {
    expect(nextStatement({ kind: 'update' }, refused(), ours, SEQ)).toEqual({
      kind: 'next',
      step: { kind: 'insert' },
    });
    expect(
      nextStatement(
        { kind: 'insert' },
        { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
        ours,
        SEQ,
      ),
    ).toEqual({ kind: 'next', step: { kind: 'update' } });
  });

  it('a refused replace is decided by the row it returns, as an UPDATE is', () => {
    const step = {
      kind: 'replace' as const,
      replaced: { sequence: older, shape: { S: 'x' }, names: ['id'] },
    };
    const changed = { id: { S: 'a' }, [SEQ]: newer, [VIEW_SHAPE_ATTRIBUTE]: { S: 'y' } };
    expect(nextStatement(step, refused(changed), ours, SEQ)).toEqual({ kind: 'settled' });
  });

  it('a refused reshape (the row was not the one expected) is decided by the row it returns, as an UPDATE is', () => {
    const step = { kind: 'reshape' as const, replaced: { shape: { S: 'expected' }, names: ['id', 'note'] } };
    const other = { id: { S: 'a' }, [SEQ]: older, [VIEW_SHAPE_ATTRIBUTE]: { S: 'other' } };
    expect(nextStatement(step, refused(other), ours, SEQ)).toEqual({
      kind: 'next',
      step: {
        kind: 'replace',
        replaced: { sequence: older, shape: { S: 'other' }, names: ['id', SEQ, VIEW_SHAPE_ATTRIBUTE] },
      },
    });
    expect(nextStatement(step, refused({ ...other, [SEQ]: newer }), ours, SEQ)).toEqual({ kind: 'settled' });
    expect(nextStatement(step, refused(undefined), ours, SEQ)).toEqual({
      kind: 'next',
      step: { kind: 'insert' },
    });
  });

  it('leaves to PutItem a row without a shape or a sequence, and every other error; AccessDenied stops statements', () => {
    const shapeless = { id: { S: 'a' }, [SEQ]: older };
    expect(nextStatement({ kind: 'update' }, refused(shapeless), ours, SEQ)).toEqual({ kind: 'put' });
    expect(
      nextStatement(
        { kind: 'update' },
        refused({ id: { S: 'a' }, [VIEW_SHAPE_ATTRIBUTE]: { S: 'x' } }),
        ours,
        SEQ,
      ),
    ).toEqual({ kind: 'put' });
    for (const Code of ['ProvisionedThroughputExceeded', 'ValidationError', 'InternalServerError'] as const) {
      expect(nextStatement({ kind: 'update' }, { Code }, ours, SEQ)).toEqual({ kind: 'put' });
      expect(nextStatement({ kind: 'insert' }, { Code }, ours, SEQ)).toEqual({ kind: 'put' });
    }
    expect(nextStatement({ kind: 'insert' }, { Code: 'AccessDenied' }, ours, SEQ)).toEqual({
      kind: 'unavailable',
    });
  });
});
