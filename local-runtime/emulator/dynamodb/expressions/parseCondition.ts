import type { Comparator, ConditionGroupNode, ConditionNode } from './ast.js';
import { parseOperand, redundantParentheses } from './parseOperand.js';
import { TokenStream } from './TokenStream.js';

const COMPARATORS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);

/**
 * Parses a ConditionExpression, FilterExpression or KeyConditionExpression (they share one grammar; the key
 * condition's extra rules are checked on the tree). Precedence, loosest first: OR, AND, NOT, then comparisons,
 * BETWEEN, IN and function conditions; parentheses group.
 */
const parseCondition = (text: string): ConditionNode => {
  const stream = new TokenStream(text);
  const condition = parseOr(stream);
  stream.expectEnd();
  return condition;
};

const parseOr = (stream: TokenStream): ConditionNode => {
  let left = parseAnd(stream);
  while (stream.isKeyword('OR')) {
    stream.next();
    const right = parseAnd(stream);
    left = { kind: 'or', left, right, start: left.start, end: right.end };
  }
  return left;
};

const parseAnd = (stream: TokenStream): ConditionNode => {
  let left = parseNot(stream);
  while (stream.isKeyword('AND')) {
    stream.next();
    const right = parseNot(stream);
    left = { kind: 'and', left, right, start: left.start, end: right.end };
  }
  return left;
};

const parseNot = (stream: TokenStream): ConditionNode => {
  if (!stream.isKeyword('NOT')) return parsePrimary(stream);
  const not = stream.next();
  const operand = stream.nest(() => parseNot(stream));
  return { kind: 'not', operand, start: not.start, end: operand.end };
};

/**
 * `(` opens either a grouped condition, `(a = :v OR b = :w)`, or a parenthesised operand, `(a) = :v`; only
 * reading on tells which, so both are tried. A function call reads as either (`(begins_with(a, :p))` is a
 * condition, `(size(a)) > :n` an operand), so a group followed by a comparison is re-read as an operand.
 */
const parsePrimary = (stream: TokenStream): ConditionNode => {
  if (!stream.isSymbol('(')) return parseComparison(stream);
  return stream.attempt<ConditionNode>([
    () => {
      const group = parseGroup(stream);
      if (startsComparison(stream)) stream.fail();
      return group;
    },
    () => parseComparison(stream),
  ]);
};

const startsComparison = (stream: TokenStream): boolean => {
  const token = stream.peek();
  return (
    (token.kind === 'punctuation' && COMPARATORS.has(token.text)) ||
    stream.isKeyword('BETWEEN') ||
    stream.isKeyword('IN')
  );
};

const parseGroup = (stream: TokenStream): ConditionGroupNode => {
  const open = stream.next();
  const inner = stream.nest(() => parseOr(stream));
  const close = stream.expectSymbol(')');
  if (inner.kind === 'conditionGroup') throw redundantParentheses();
  return { kind: 'conditionGroup', inner, start: open.start, end: close.end };
};

const parseComparison = (stream: TokenStream): ConditionNode => {
  const left = parseOperand(stream);
  const token = stream.peek();
  if (token.kind === 'punctuation' && COMPARATORS.has(token.text)) {
    stream.next();
    const right = parseOperand(stream);
    return {
      kind: 'comparison',
      operator: token.text as Comparator,
      left,
      right,
      start: left.start,
      end: right.end,
    };
  }
  if (stream.isKeyword('BETWEEN')) {
    stream.next();
    const lower = parseOperand(stream);
    stream.expectKeyword('AND');
    const upper = parseOperand(stream);
    return { kind: 'between', operand: left, lower, upper, start: left.start, end: upper.end };
  }
  if (stream.isKeyword('IN')) {
    stream.next();
    stream.expectSymbol('(');
    const candidates = [parseOperand(stream)];
    while (stream.isSymbol(',')) {
      stream.next();
      candidates.push(parseOperand(stream));
    }
    const close = stream.expectSymbol(')');
    return { kind: 'in', operand: left, candidates, start: left.start, end: close.end };
  }
  // A function call on its own is a condition (`attribute_exists(a)`); whether that function may be one is
  // checked later, with DynamoDB's own message.
  if (left.kind === 'call') return left;
  return stream.fail();
};

export { parseCondition };
