import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { elementTexts } from '../../../../src/records/elementTexts.js';

/** JSON values whose strings hold what a scanner can trip on: quotes, backslashes, brackets, commas. */
const tricky = fc.string({
  unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', 'a', 'é', '\u2028', ' '),
});
const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const record = fc.dictionary(tricky, value, { maxKeys: 6 });

describe('elementTexts', () => {
  it("cuts each element of the member's array out of compact JSON, as JSON.stringify writes it", () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 8 }),
        tricky,
        fc.boolean(),
        (records, iterator, recordsFirst) => {
          const body = recordsFirst
            ? JSON.stringify({ Records: records, NextShardIterator: iterator })
            : JSON.stringify({ NextShardIterator: iterator, Other: [{ Records: [1] }], Records: records });
          expect(elementTexts(body, 'Records')).toEqual(records.map((r) => JSON.stringify(r)));
        },
      ),
    );
  });

  it('cuts elements out of JSON with spaces, each equal in value to the parsed one', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), (records) => {
        const body = JSON.stringify({ Before: { Records: 'no' }, Records: records }, null, 2);
        const texts = elementTexts(body, 'Records');
        expect(texts?.map((text) => JSON.parse(text))).toEqual(JSON.parse(body).Records);
      }),
    );
  });

  it.each([
    ['no such member', '{"NextShardIterator":"x"}'],
    ['the member is not an array', '{"Records":{"a":[1]}}'],
    ['not an object', '[{"Records":[1]}]'],
    ['cut short', '{"Records":[{"a":"}'],
  ])('gives undefined when %s', (_why, body) => {
    expect(elementTexts(body, 'Records')).toBeUndefined();
  });

  it('gives no texts for an empty array, and finds a member named with escapes', () => {
    expect(elementTexts('{ "Records" : [ ] }', 'Records')).toEqual([]);
    expect(elementTexts('{"Rec\\u006frds":[1, "2"]}', 'Records')).toEqual(['1', '"2"']);
  });
});
