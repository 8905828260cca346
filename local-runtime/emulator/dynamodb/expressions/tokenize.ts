/** The grammar's keywords, case-insensitive; everywhere else a word is a name or a function. */
type Keyword = 'AND' | 'OR' | 'NOT' | 'BETWEEN' | 'IN' | 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

type Punctuation = '=' | '<>' | '<' | '<=' | '>' | '>=' | '(' | ')' | '[' | ']' | ',' | '.' | '+' | '-';

type TokenKind =
  /** A bare word: an attribute name or a function name. */
  | 'identifier'
  | 'keyword'
  /** `#name`, an ExpressionAttributeNames placeholder. */
  | 'name'
  /** `:value`, an ExpressionAttributeValues placeholder. */
  | 'value'
  /** Decimal digits, only meaningful as a list index. */
  | 'integer'
  | 'punctuation'
  /** A character DynamoDB's grammar has no use for; always a syntax error where it appears. */
  | 'invalid'
  | 'eof';

interface Token {
  readonly kind: TokenKind;
  /** The text as written; `<EOF>` for the end, which is how DynamoDB names it in syntax errors. */
  readonly text: string;
  /** For keywords, the upper-case keyword; for punctuation, the symbol. */
  readonly symbol?: Keyword | Punctuation;
  readonly start: number;
  readonly end: number;
}

const KEYWORDS: ReadonlySet<string> = new Set([
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
]);

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordChar = (c: number) => isLetter(c) || isDigit(c) || c === 95; // _
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

const TWO_CHAR: ReadonlySet<string> = new Set(['<>', '<=', '>=']);
const ONE_CHAR: ReadonlySet<string> = new Set(['=', '<', '>', '(', ')', '[', ']', ',', '.', '+', '-']);

/**
 * Splits an expression into tokens. Never fails: characters the grammar cannot use become `invalid` tokens, so
 * the parser reports them as DynamoDB does, as a syntax error naming the token and its neighbours.
 *
 * Words start with a letter and continue with letters, digits and `_` (names that do not fit need a
 * `#placeholder`). An integer is a single `0` or digits without a leading zero, so `01` is two tokens.
 */
const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, symbol?: Keyword | Punctuation) => {
    tokens.push({
      kind,
      text: text.slice(start, i),
      start,
      end: i,
      ...(symbol === undefined ? {} : { symbol }),
    });
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const start = i;
    if (isSpace(c)) {
      i += 1;
    } else if (isLetter(c)) {
      while (i < text.length && isWordChar(text.charCodeAt(i))) i += 1;
      const upper = text.slice(start, i).toUpperCase();
      if (KEYWORDS.has(upper)) push('keyword', start, upper as Keyword);
      else push('identifier', start);
    } else if (c === 35 || c === 58) {
      // # or :
      i += 1;
      while (i < text.length && isWordChar(text.charCodeAt(i))) i += 1;
      push(i === start + 1 ? 'invalid' : c === 35 ? 'name' : 'value', start);
    } else if (isDigit(c)) {
      i += 1;
      if (c !== 48) while (i < text.length && isDigit(text.charCodeAt(i))) i += 1;
      push('integer', start);
    } else if (TWO_CHAR.has(text.slice(i, i + 2))) {
      i += 2;
      push('punctuation', start, text.slice(start, i) as Punctuation);
    } else if (ONE_CHAR.has(text.charAt(i))) {
      i += 1;
      push('punctuation', start, text.charAt(start) as Punctuation);
    } else {
      // One whole character, so a character outside the BMP is not split into halves.
      i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      push('invalid', start);
    }
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: text.length, end: text.length });
  return tokens;
};

export type { Keyword, Punctuation, Token, TokenKind };
export { tokenize };
