import { KEYWORDS } from './keywords.js';
import { malformedStatement } from './statementErrors.js';
import { type Punctuation, type Token, tokenize } from './tokenize.js';

/**
 * How deep expressions may nest in one statement. DynamoDB documents no such limit (only the statement's
 * length); DynamoDB Local overflows its stack at 1,000 nested parentheses. Items cannot nest beyond 32 levels
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html), so no useful
 * statement comes near this.
 */
const MAX_STATEMENT_NESTING = 256;

/**
 * The parser's position in a statement's tokens. Every syntax problem ends the same way: DynamoDB answers
 * "Statement wasn't well formed" with the whole statement, whatever the token, so `fail` needs no detail.
 */
class Cursor {
  readonly text: string;
  readonly tokens: readonly Token[];
  position = 0;
  #depth = 0;

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  /** The token `offset` ahead; the end token once past the end. */
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position += 1;
    return token;
  }

  /** Whether the token `offset` ahead is the (case-insensitive) word `word`. */
  isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'word' && token.value === word;
  }

  isSymbol(symbol: Punctuation, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punctuation' && token.text === symbol;
  }

  /** Consumes `word` when it comes next. */
  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.position += 1;
    return true;
  }

  acceptSymbol(symbol: Punctuation): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.position += 1;
    return true;
  }

  expectWord(word: string): Token {
    if (!this.isWord(word)) this.fail();
    return this.next();
  }

  expectSymbol(symbol: Punctuation): Token {
    if (!this.isSymbol(symbol)) this.fail();
    return this.next();
  }

  /** Whether the token `offset` ahead can be an identifier: a quoted name, or a bare word that is not reserved. */
  isIdentifier(offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'quoted' || (token.kind === 'word' && !KEYWORDS.has(token.value));
  }

  /** The end of the statement, allowing one trailing `;`. */
  expectEnd(): void {
    this.acceptSymbol(';');
    if (this.peek().kind !== 'eof') this.fail();
  }

  /**
   * Runs `parse` one nesting level deeper (a bracket, a parenthesis, a NOT). A statement nested beyond
   * {@link MAX_STATEMENT_NESTING} is refused as malformed before the recursion can reach the end of the stack.
   */
  nest<T>(parse: () => T): T {
    this.#depth += 1;
    try {
      if (this.#depth > MAX_STATEMENT_NESTING) this.fail();
      return parse();
    } finally {
      this.#depth -= 1;
    }
  }

  fail(): never {
    throw malformedStatement(this.text);
  }
}

export { Cursor, MAX_STATEMENT_NESTING };
