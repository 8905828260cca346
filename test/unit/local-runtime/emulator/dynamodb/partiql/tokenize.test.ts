import { describe, expect, it } from 'vitest';
import { lineColumn, tokenize } from '../../../../../../local-runtime/emulator/dynamodb/partiql/tokenize.js';

const kinds = (text: string) => tokenize(text).map((token) => [token.kind, token.value]);

describe('tokenize (PartiQL)', () => {
  it('reads words upper-cased, keeping the text as written', () => {
    const [word] = tokenize('select');
    expect(word).toMatchObject({ kind: 'word', text: 'select', value: 'SELECT', start: 0, end: 6 });
    expect(kinds('a_1 $b')).toEqual([
      ['word', 'A_1'],
      ['word', '$B'],
      ['eof', ''],
    ]);
  });

  it('unescapes doubled quotes in strings and quoted identifiers', () => {
    expect(kinds(`'it''s' "say ""hi""."`)).toEqual([
      ['string', "it's"],
      ['quoted', 'say "hi".'],
      ['eof', ''],
    ]);
  });

  it('reads numbers with fractions and exponents, and a bare ? as a parameter', () => {
    expect(tokenize('12 1.5 .5 5. 1e3 1.2E-3 ?').map((t) => [t.kind, t.text])).toEqual([
      ['number', '12'],
      ['number', '1.5'],
      ['number', '.5'],
      ['number', '5.'],
      ['number', '1e3'],
      ['number', '1.2E-3'],
      ['parameter', '?'],
      ['eof', ''],
    ]);
  });

  it('reads two-character punctuation before one-character punctuation', () => {
    expect(tokenize('<<1>> <> != <= >= || < > = { } [ ] : ;').map((t) => t.text)).toEqual([
      '<<',
      '1',
      '>>',
      '<>',
      '!=',
      '<=',
      '>=',
      '||',
      '<',
      '>',
      '=',
      '{',
      '}',
      '[',
      ']',
      ':',
      ';',
      '',
    ]);
  });

  it('drops comments and white space', () => {
    expect(kinds('a -- b\n/* c */ d')).toEqual([
      ['word', 'A'],
      ['word', 'D'],
      ['eof', ''],
    ]);
  });

  it('turns what cannot be a token into an invalid one', () => {
    expect(kinds("'open")).toEqual([
      ['invalid', "'open"],
      ['eof', ''],
    ]);
    expect(kinds('`ion`')[0]).toEqual(['invalid', '`']);
    expect(kinds('/* never closed')[0]?.[0]).toBe('invalid');
  });
});

describe('lineColumn', () => {
  it('counts lines and columns from 1, as DynamoDB positions do', () => {
    expect(lineColumn('abc', 0)).toBe('1:1');
    expect(lineColumn('abc\ndef', 5)).toBe('2:2');
  });
});
