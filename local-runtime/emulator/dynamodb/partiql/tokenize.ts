/**
 * The punctuation of DynamoDB's PartiQL subset. `<<` and `>>` delimit bags (sets), `||` is PartiQL's string
 * concatenation (parsed so that it can be refused with DynamoDB's message), `!=` is the same as `<>`.
 */
type Punctuation =
  | '='
  | '<>'
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '<<'
  | '>>'
  | '||'
  | '('
  | ')'
  | '['
  | ']'
  | '{'
  | '}'
  | ','
  | '.'
  | ':'
  | ';'
  | '*'
  | '+'
  | '-';

type TokenKind =
  /** A bare word: a keyword or an unquoted identifier, told apart by the parser (`RESERVED_WORDS`). */
  | 'word'
  /** `"name"`: an identifier, case and characters kept; `""` inside stands for one `"`. */
  | 'quoted'
  /** `'text'`: a string literal; `''` inside stands for one `'`. */
  | 'string'
  /** An unsigned decimal literal: `12`, `1.5`, `.5`, `5.`, `1e3`, `1.2E-3`. */
  | 'number'
  /** `?`, a positional parameter. */
  | 'parameter'
  | 'punctuation'
  /** Anything else (an unterminated string, a backtick Ion literal, a stray character): always a syntax error. */
  | 'invalid'
  | 'eof';

interface Token {
  readonly kind: TokenKind;
  /** The text as written. */
  readonly text: string;
  /** For words, the upper-cased word; for quoted identifiers and strings, the unescaped value. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordStart = (c: number) => isLetter(c) || c === 95 || c === 36; // _ $
const isWordChar = (c: number) => isWordStart(c) || isDigit(c);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;

const TWO_CHAR: ReadonlySet<string> = new Set(['<>', '!=', '<=', '>=', '<<', '>>', '||']);
const ONE_CHAR: ReadonlySet<string> = new Set([
  '=',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ':',
  ';',
  '*',
  '+',
  '-',
]);

/**
 * Splits a PartiQL statement into tokens. Never fails: what cannot be a token becomes an `invalid` one, which
 * the parser reports as DynamoDB does, as a statement that "wasn't well formed". Comments (`-- …` to the end
 * of the line, `/* … *\/`) and white space separate tokens and are dropped.
 *
 * Quoting follows PartiQL: double quotes make an identifier (a table, index or attribute name, kept exactly),
 * single quotes a string; a quote is doubled to escape it. There are no backslash escapes.
 */
const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, value: string = text.slice(start, i)) => {
    tokens.push({ kind, text: text.slice(start, i), value, start, end: i });
  };
  /** Reads a quoted run starting at the opening quote; undefined when it never closes. */
  const quoted = (quote: string): string | undefined => {
    let value = '';
    i += 1;
    while (i < text.length) {
      const next = text.indexOf(quote, i);
      if (next < 0) break;
      value += text.slice(i, next);
      i = next + 1;
      if (text.charAt(i) !== quote) return value;
      value += quote;
      i += 1;
    }
    i = text.length;
    return undefined;
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const start = i;
    if (isSpace(c)) {
      i += 1;
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) {
        i = text.length;
        push('invalid', start);
      } else {
        i = end + 2;
      }
    } else if (isWordStart(c)) {
      while (i < text.length && isWordChar(text.charCodeAt(i))) i += 1;
      push('word', start, text.slice(start, i).toUpperCase());
    } else if (c === 34 || c === 39) {
      // " or '
      const value = quoted(text.charAt(i));
      if (value === undefined) push('invalid', start);
      else push(c === 34 ? 'quoted' : 'string', start, value);
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      i = numberEnd(text, i);
      push('number', start);
    } else if (c === 63) {
      // ?
      i += 1;
      push('parameter', start);
    } else if (TWO_CHAR.has(text.slice(i, i + 2))) {
      i += 2;
      push('punctuation', start);
    } else if (ONE_CHAR.has(text.charAt(i))) {
      i += 1;
      push('punctuation', start);
    } else {
      // One whole character, so a character outside the BMP is not split into halves.
      i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
      push('invalid', start);
    }
  }
  tokens.push({ kind: 'eof', text: '', value: '', start: text.length, end: text.length });
  return tokens;
};

/** Where a number starting at `from` ends: digits, an optional fraction, an optional exponent. */
const numberEnd = (text: string, from: number): number => {
  let i = from;
  while (isDigit(text.charCodeAt(i))) i += 1;
  if (text.charAt(i) === '.') {
    i += 1;
    while (isDigit(text.charCodeAt(i))) i += 1;
  }
  const e = text.charAt(i);
  if (e === 'e' || e === 'E') {
    let j = i + 1;
    if (text.charAt(j) === '+' || text.charAt(j) === '-') j += 1;
    if (isDigit(text.charCodeAt(j))) {
      i = j;
      while (isDigit(text.charCodeAt(i))) i += 1;
    }
  }
  return i;
};

/**
 * Where an offset lies, as DynamoDB's PartiQL messages say it: `line:column`, both counted from 1. Used with a
 * length, as in `at 1:37:4`.
 */
const lineColumn = (text: string, offset: number): string => {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
};

export type { Punctuation, Token, TokenKind };
export { lineColumn, tokenize };
