import type { AttributeValue, Put } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { VIEW_SHAPE_ATTRIBUTE, viewShape } from '../../../../src/operators/viewShape.js';
import { viewStatementOf } from '../../../../src/operators/viewStatement.js';

const SEQ = 'eddy_source_sequence';
const sequence = { S: `${'0'.repeat(38)}42` };

const putOf = (item: Record<string, AttributeValue>, table = 'order-view'): Put => {
  const full = { ...item, [SEQ]: sequence };
  return {
    TableName: table,
    Item: { ...full, [VIEW_SHAPE_ATTRIBUTE]: { S: viewShape(Object.keys(full)) } },
    ConditionExpression: 'attribute_not_exists(#seq) OR #seq < :seq',
    ExpressionAttributeNames: { '#seq': SEQ },
    ExpressionAttributeValues: { ':seq': sequence },
  };
};

const row = { orderId: { S: 'o-1' }, status: { S: 'PAID' }, total: { N: '12.5' } };

/** What a reshape or a replace of `row` sets (every non-key attribute, the new shape too), then its key. */
const reshapedValues = (put: Put) => [
  row.status,
  row.total,
  sequence,
  put.Item?.[VIEW_SHAPE_ATTRIBUTE],
  row.orderId,
];

describe('viewStatementOf: the PartiQL statement that writes a view row at its PutItem cost', () => {
  it('INSERT names every attribute, the shape included, with one parameter each in order', () => {
    const put = putOf(row);
    const request = viewStatementOf('insert', { put, keyNames: ['orderId'], sequenceAttribute: SEQ });
    expect(request?.Statement).toBe(
      `INSERT INTO "order-view" VALUE {'orderId': ?, 'status': ?, 'total': ?, '${SEQ}': ?, '${VIEW_SHAPE_ATTRIBUTE}': ?}`,
    );
    expect(request?.Parameters).toEqual(Object.values(put.Item ?? {}));
    expect(request?.ReturnValuesOnConditionCheckFailure).toBeUndefined();
  });

  it('UPDATE sets the non-key attributes, only over an older row of the same shape, and returns the row it refuses', () => {
    const put = putOf(row);
    const request = viewStatementOf('update', { put, keyNames: ['orderId'], sequenceAttribute: SEQ });
    expect(request?.Statement).toBe(
      `UPDATE "order-view" SET "status" = ?, "total" = ?, "${SEQ}" = ? WHERE "orderId" = ? AND "${SEQ}" < ? AND "${VIEW_SHAPE_ATTRIBUTE}" = ?`,
    );
    expect(request?.Parameters).toEqual([
      row.status,
      row.total,
      sequence,
      row.orderId,
      sequence,
      put.Item?.[VIEW_SHAPE_ATTRIBUTE],
    ]);
    expect(request?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('a replace overwrites exactly the row it saw: sets every non-key attribute with the new shape, removes what the new row lacks', () => {
    const put = putOf(row);
    const replaced = {
      sequence: { S: `${'0'.repeat(38)}41` },
      shape: { S: 'old-shape' },
      names: ['orderId', 'status', 'note', 'eddy_deleted', SEQ, VIEW_SHAPE_ATTRIBUTE],
    };
    const request = viewStatementOf(
      'replace',
      { put, keyNames: ['orderId'], sequenceAttribute: SEQ },
      replaced,
    );
    expect(request?.Statement).toBe(
      `UPDATE "order-view" SET "status" = ?, "total" = ?, "${SEQ}" = ?, "${VIEW_SHAPE_ATTRIBUTE}" = ? REMOVE "note" REMOVE "eddy_deleted" WHERE "orderId" = ? AND "${SEQ}" = ? AND "${VIEW_SHAPE_ATTRIBUTE}" = ?`,
    );
    expect(request?.Parameters).toEqual([...reshapedValues(put), replaced.sequence, replaced.shape]);
    expect(request?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    // Without the row it replaces there is nothing to say; a removed name PartiQL cannot quote goes to PutItem.
    expect(
      viewStatementOf('replace', { put, keyNames: ['orderId'], sequenceAttribute: SEQ }),
    ).toBeUndefined();
    expect(
      viewStatementOf(
        'replace',
        { put, keyNames: ['orderId'], sequenceAttribute: SEQ },
        { ...replaced, names: [...replaced.names, 'it"s'] },
      ),
    ).toBeUndefined();
  });

  it('a reshape replaces an older row of the expected names: our sequence, their shape, their extra names removed', () => {
    const put = putOf(row);
    const prior = {
      shape: { S: 'prior-shape' },
      names: ['orderId', 'status', 'note', SEQ, VIEW_SHAPE_ATTRIBUTE],
    };
    const request = viewStatementOf('reshape', { put, keyNames: ['orderId'], sequenceAttribute: SEQ }, prior);
    expect(request?.Statement).toBe(
      `UPDATE "order-view" SET "status" = ?, "total" = ?, "${SEQ}" = ?, "${VIEW_SHAPE_ATTRIBUTE}" = ? REMOVE "note" WHERE "orderId" = ? AND "${SEQ}" < ? AND "${VIEW_SHAPE_ATTRIBUTE}" = ?`,
    );
    expect(request?.Parameters).toEqual([...reshapedValues(put), sequence, prior.shape]);
    expect(request?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    // Without the expected row there is nothing to say; a replace needs the very row's sequence.
    expect(
      viewStatementOf('reshape', { put, keyNames: ['orderId'], sequenceAttribute: SEQ }),
    ).toBeUndefined();
    expect(
      viewStatementOf('replace', { put, keyNames: ['orderId'], sequenceAttribute: SEQ }, prior),
    ).toBeUndefined();
  });

  it('leaves to PutItem what PartiQL cannot say plainly: quotes, backslashes or control characters in a name, an over-long statement, a row without its key', () => {
    for (const name of ['it"s', "it's", 'back\\slash', 'line\nbreak']) {
      const put = putOf({ ...row, [name]: { S: 'x' } });
      expect(
        viewStatementOf('update', { put, keyNames: ['orderId'], sequenceAttribute: SEQ }),
      ).toBeUndefined();
      expect(
        viewStatementOf('insert', { put, keyNames: ['orderId'], sequenceAttribute: SEQ }),
      ).toBeUndefined();
    }
    const wide = putOf(
      Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`attribute_number_${i}`, { N: String(i) }])),
    );
    expect(
      viewStatementOf('insert', { put: wide, keyNames: ['attribute_number_0'], sequenceAttribute: SEQ }),
    ).toBeUndefined();
    const keyless = putOf({ status: { S: 'PAID' } });
    expect(
      viewStatementOf('update', { put: keyless, keyNames: ['orderId'], sequenceAttribute: SEQ }),
    ).toBeUndefined();
  });

  it('the shape is the same for the same names in any order, and differs when a name is added or dropped', () => {
    expect(viewShape(['a', 'b', 'c'])).toBe(viewShape(['c', 'a', 'b']));
    expect(viewShape(['a', 'b', VIEW_SHAPE_ATTRIBUTE])).toBe(viewShape(['a', 'b']));
    expect(viewShape(['a', 'b'])).not.toBe(viewShape(['a', 'b', 'c']));
    expect(viewShape(['a', 'b'])).not.toBe(viewShape(['a']));
    expect(viewShape(['ab'])).not.toBe(viewShape(['a', 'b']));
  });
});
