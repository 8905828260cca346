import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../../../../local-runtime/emulator/dynamodb/expressions/tokenize.js';

const kinds = (text: string) => tokenize(text).map((token) => [token.kind, token.text]);

describe('tokenize', () => {
  it.each([
    [
      'a',
      [
        ['identifier', 'a'],
        ['eof', '<EOF>'],
      ],
    ],
    [
      'a_1.B2',
      [
        ['identifier', 'a_1'],
        ['punctuation', '.'],
        ['identifier', 'B2'],
        ['eof', '<EOF>'],
      ],
    ],
    [
      '#n :v',
      [
        ['name', '#n'],
        ['value', ':v'],
        ['eof', '<EOF>'],
      ],
    ],
    [
      '#_x :1',
      [
        ['name', '#_x'],
        ['value', ':1'],
        ['eof', '<EOF>'],
      ],
    ],
    [
      'and Or NOT between IN',
      [
        ['keyword', 'and'],
        ['keyword', 'Or'],
        ['keyword', 'NOT'],
        ['keyword', 'between'],
        ['keyword', 'IN'],
        ['eof', '<EOF>'],
      ],
    ],
    [
      'set REMOVE add Delete',
      [
        ['keyword', 'set'],
        ['keyword', 'REMOVE'],
        ['keyword', 'add'],
        ['keyword', 'Delete'],
        ['eof', '<EOF>'],
      ],
    ],
    [
      'andy orders',
      [
        ['identifier', 'andy'],
        ['identifier', 'orders'],
        ['eof', '<EOF>'],
      ],
    ],
    [
      'a[10][0]',
      [
        ['identifier', 'a'],
        ['punctuation', '['],
        ['integer', '10'],
        ['punctuation', ']'],
        ['punctuation', '['],
        ['integer', '0'],
        ['punctuation', ']'],
        ['eof', '<EOF>'],
      ],
    ],
    [
      '007',
      [
        ['integer', '0'],
        ['integer', '0'],
        ['integer', '7'],
        ['eof', '<EOF>'],
      ],
    ],
    [
      '<><=>=<>=',
      [
        ['punctuation', '<>'],
        ['punctuation', '<='],
        ['punctuation', '>='],
        ['punctuation', '<>'],
        ['punctuation', '='],
        ['eof', '<EOF>'],
      ],
    ],
    [
      '(a,b)+-',
      [
        ['punctuation', '('],
        ['identifier', 'a'],
        ['punctuation', ','],
        ['identifier', 'b'],
        ['punctuation', ')'],
        ['punctuation', '+'],
        ['punctuation', '-'],
        ['eof', '<EOF>'],
      ],
    ],
    [
      '# : ! 😀',
      [
        ['invalid', '#'],
        ['invalid', ':'],
        ['invalid', '!'],
        ['invalid', '😀'],
        ['eof', '<EOF>'],
      ],
    ],
    [' \t\r\n', [['eof', '<EOF>']]],
  ])('%j', (text, expected) => {
    expect(kinds(text)).toEqual(expected);
  });

  it('records positions, the end at the text length', () => {
    expect(tokenize(' ab = :v ').map((token) => [token.start, token.end])).toEqual([
      [1, 3],
      [4, 5],
      [6, 8],
      [9, 9],
    ]);
  });

  it('normalises keywords and punctuation into a symbol', () => {
    expect(tokenize('between <=').map((token) => token.symbol)).toEqual(['BETWEEN', '<=', undefined]);
  });
});
