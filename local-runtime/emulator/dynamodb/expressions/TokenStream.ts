import { ExpressionError } from './expressionError.js';
import { type Keyword, type Punctuation, type Token, tokenize } from './tokenize.js';

/** A syntax error, with the token index where reading stopped so backtracking can keep the furthest one. */
class SyntaxProblem extends ExpressionError {
  readonly at: number;

  constructor(message: string, at: number) {
    super(message);
    this.at = at;
  }
}

/**
 * How deep parentheses, function calls and NOTs may nest in one expression. DynamoDB documents no such limit
 * (only the 4 KB expression size, which allows about 2,000 levels); the parsers recurse a few frames per level,
 * so the cap keeps them far from the stack's end. Real expressions nest a handful of levels.
 */
const MAX_EXPRESSION_NESTING = 256;

/**
 * The parsers' cursor over an expression's tokens, and the one place syntax errors are worded: DynamoDB names
 * the token where it stopped and quotes the text from the token before it to the token after it.
 */
class TokenStream {
  readonly text: string;
  readonly tokens: readonly Token[];
  position = 0;
  #depth = 0;

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  /**
   * Runs `parse` one nesting level deeper (a group, a call, a NOT), refusing expressions nested beyond
   * {@link MAX_EXPRESSION_NESTING} instead of letting the recursion reach the end of the stack.
   */
  nest<T>(parse: () => T): T {
    this.#depth += 1;
    try {
      if (this.#depth > MAX_EXPRESSION_NESTING) {
        throw new ExpressionError(
          `The expression has too many nesting levels; nesting levels: ${this.#depth}`,
        );
      }
      return parse();
    } finally {
      this.#depth -= 1;
    }
  }

  /** The token `offset` ahead; the end token once past the end. */
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    this.position += 1;
    return token;
  }

  isKeyword(keyword: Keyword, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'keyword' && token.symbol === keyword;
  }

  isSymbol(symbol: Punctuation, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punctuation' && token.symbol === symbol;
  }

  expectSymbol(symbol: Punctuation): Token {
    if (!this.isSymbol(symbol)) this.fail();
    return this.next();
  }

  expectKeyword(keyword: Keyword): Token {
    if (!this.isKeyword(keyword)) this.fail();
    return this.next();
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') this.fail();
  }

  fail(at: number = this.position): never {
    const index = Math.min(at, this.tokens.length - 1);
    const token = this.tokens[index] as Token;
    const from = index > 0 ? (this.tokens[index - 1] as Token).start : 0;
    const to = (this.tokens[index + 1] ?? token).end;
    throw new SyntaxProblem(
      `Syntax error; token: "${token.text}", near: "${this.text.slice(from, to)}"`,
      index,
    );
  }

  /**
   * Tries alternatives from the same position and keeps the first that parses. When none does, reports the
   * syntax error of the one that got furthest, which is the error DynamoDB's parser reports. Only syntax errors
   * are caught: other problems (redundant parentheses) are final as soon as they are seen.
   */
  attempt<T>(alternatives: readonly (() => T)[]): T {
    const start = this.position;
    let furthest: SyntaxProblem | undefined;
    for (const alternative of alternatives) {
      this.position = start;
      try {
        return alternative();
      } catch (error) {
        if (!(error instanceof SyntaxProblem)) throw error;
        if (furthest === undefined || error.at > furthest.at) furthest = error;
      }
    }
    this.position = start;
    throw furthest ?? new SyntaxProblem('Syntax error', start);
  }
}

export { MAX_EXPRESSION_NESTING, SyntaxProblem, TokenStream };
