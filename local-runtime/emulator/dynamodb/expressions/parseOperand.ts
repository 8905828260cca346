import type { CallNode, OperandNode, PathNode, PathPart } from './ast.js';
import { ExpressionError } from './expressionError.js';
import type { TokenStream } from './TokenStream.js';

/**
 * A document path: a name or `#placeholder`, then any number of `.name`, `.#placeholder` and `[index]` steps.
 * Used by every expression kind.
 */
const parsePath = (stream: TokenStream): PathNode => {
  const parts: PathPart[] = [parsePathName(stream)];
  for (;;) {
    if (stream.isSymbol('.')) {
      stream.next();
      parts.push(parsePathName(stream));
    } else if (stream.isSymbol('[')) {
      stream.next();
      const index = stream.peek();
      if (index.kind !== 'integer') stream.fail();
      stream.next();
      const close = stream.expectSymbol(']');
      parts.push({ kind: 'index', digits: index.text, start: index.start, end: close.end });
    } else {
      break;
    }
  }
  const first = parts[0] as PathPart;
  const last = parts[parts.length - 1] as PathPart;
  return { kind: 'path', parts, start: first.start, end: last.end };
};

const parsePathName = (stream: TokenStream): PathPart => {
  const token = stream.peek();
  if (token.kind === 'identifier') {
    stream.next();
    return { kind: 'name', name: token.text, start: token.start, end: token.end };
  }
  if (token.kind === 'name') {
    stream.next();
    return { kind: 'placeholder', placeholder: token.text, start: token.start, end: token.end };
  }
  return stream.fail();
};

/**
 * An operand of a comparison, a function or an update's SET: `:value`, a function call, a document path, or
 * one of these in parentheses. A word followed by `(` is a function call, whatever the word.
 */
const parseOperand = (stream: TokenStream): OperandNode => {
  const token = stream.peek();
  if (token.kind === 'value') {
    stream.next();
    return { kind: 'value', placeholder: token.text, start: token.start, end: token.end };
  }
  if (token.kind === 'punctuation' && token.symbol === '(') {
    stream.next();
    const inner = stream.nest(() => parseOperand(stream));
    const close = stream.expectSymbol(')');
    if (inner.kind === 'operandGroup') throw redundantParentheses();
    return { kind: 'operandGroup', inner, start: token.start, end: close.end };
  }
  if (token.kind === 'identifier' && stream.isSymbol('(', 1)) return parseCall(stream);
  if (token.kind === 'identifier' || token.kind === 'name') return parsePath(stream);
  return stream.fail();
};

const parseCall = (stream: TokenStream): CallNode => {
  const name = stream.next();
  stream.expectSymbol('(');
  const args = stream.nest(() => {
    const parsed = [parseOperand(stream)];
    while (stream.isSymbol(',')) {
      stream.next();
      parsed.push(parseOperand(stream));
    }
    return parsed;
  });
  const close = stream.expectSymbol(')');
  return { kind: 'call', name: name.text, args, start: name.start, end: close.end };
};

/**
 * DynamoDB refuses parentheses directly around parentheses, and says so as soon as it closes the outer pair,
 * before any later syntax error.
 */
const redundantParentheses = () => new ExpressionError('The expression has redundant parentheses;');

export { parseOperand, parsePath, redundantParentheses };
