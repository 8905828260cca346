import type { Comparator, Expr, Identifier, PathExpr, PathStep } from './ast.js';
import type { Cursor } from './Cursor.js';
import { FUNCTION_KEYWORDS, KEYWORDS } from './keywords.js';

const COMPARATORS: Readonly<Record<string, Comparator>> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/**
 * Parses one expression of DynamoDB's PartiQL subset: a WHERE condition, a SET value, an INSERT item.
 * Precedence, loosest first: OR, AND, NOT, then one comparison, `IS [NOT] MISSING|NULL`, `[NOT] BETWEEN` or
 * `[NOT] IN`, then `+`, `-` and `||`, then literals, parameters, paths, function calls, tuples `{…}`, lists
 * `[…]`, bags `<<…>>` and parenthesised expressions.
 */
const parseExpression = (cursor: Cursor): Expr => cursor.nest(() => parseOr(cursor));

const parseOr = (cursor: Cursor): Expr => {
  let left = parseAnd(cursor);
  while (cursor.acceptWord('OR')) {
    const right = parseAnd(cursor);
    left = { kind: 'or', left, right, start: left.start, end: right.end };
  }
  return left;
};

const parseAnd = (cursor: Cursor): Expr => {
  let left = parseNot(cursor);
  while (cursor.acceptWord('AND')) {
    const right = parseNot(cursor);
    left = { kind: 'and', left, right, start: left.start, end: right.end };
  }
  return left;
};

const parseNot = (cursor: Cursor): Expr => {
  if (!cursor.isWord('NOT')) return parsePredicate(cursor);
  const not = cursor.next();
  const operand = cursor.nest(() => parseNot(cursor));
  return { kind: 'not', operand, start: not.start, end: operand.end };
};

const parsePredicate = (cursor: Cursor): Expr => {
  const left = parseAdditive(cursor);
  const token = cursor.peek();
  if (token.kind === 'punctuation' && Object.hasOwn(COMPARATORS, token.text)) {
    cursor.next();
    const right = parseAdditive(cursor);
    const operator = COMPARATORS[token.text] as Comparator;
    return { kind: 'comparison', operator, left, right, start: left.start, end: right.end };
  }
  if (cursor.acceptWord('IS')) {
    const negated = cursor.acceptWord('NOT');
    const test = cursor.next();
    if (test.kind !== 'word' || (test.value !== 'MISSING' && test.value !== 'NULL')) cursor.fail();
    return {
      kind: 'is',
      negated,
      operand: left,
      test: test.value as 'MISSING' | 'NULL',
      start: left.start,
      end: test.end,
    };
  }
  const negated = cursor.isWord('NOT') && (cursor.isWord('BETWEEN', 1) || cursor.isWord('IN', 1));
  if (negated) cursor.next();
  if (cursor.acceptWord('BETWEEN')) {
    const lower = parseAdditive(cursor);
    cursor.expectWord('AND');
    const upper = parseAdditive(cursor);
    return { kind: 'between', negated, operand: left, lower, upper, start: left.start, end: upper.end };
  }
  if (cursor.acceptWord('IN')) {
    if (!cursor.isSymbol('(') && !cursor.isSymbol('[')) {
      // `a IN ?` and the like parse, with no candidates, for DynamoDB's message about IN's operands.
      const operand = parseAdditive(cursor);
      return { kind: 'in', negated, operand: left, candidates: [], start: left.start, end: operand.end };
    }
    const close = cursor.isSymbol('(') ? ')' : ']';
    cursor.next();
    const candidates = parseList(cursor, close);
    const end = cursor.expectSymbol(close).end;
    return { kind: 'in', negated, operand: left, candidates, start: left.start, end };
  }
  if (negated) cursor.fail();
  return left;
};

const parseAdditive = (cursor: Cursor): Expr => {
  let left = parsePrimary(cursor);
  for (;;) {
    const token = cursor.peek();
    const operator = token.kind === 'punctuation' ? token.text : '';
    if (operator !== '+' && operator !== '-' && operator !== '||') return left;
    cursor.next();
    const right = parsePrimary(cursor);
    left = {
      kind: 'arithmetic',
      operator,
      left,
      right,
      operatorStart: token.start,
      start: left.start,
      end: right.end,
    };
  }
};

/** Expressions separated by commas, up to (not including) `close`; possibly none. */
const parseList = (cursor: Cursor, close: ')' | ']' | '>>'): Expr[] => {
  const elements: Expr[] = [];
  if (cursor.isSymbol(close)) return elements;
  do elements.push(parseExpression(cursor));
  while (cursor.acceptSymbol(','));
  return elements;
};

const parsePrimary = (cursor: Cursor): Expr => {
  const token = cursor.peek();
  const { start } = token;
  switch (token.kind) {
    case 'string':
      cursor.next();
      return { kind: 'literal', literal: { type: 'string', value: token.value }, start, end: token.end };
    case 'number':
      cursor.next();
      return { kind: 'literal', literal: { type: 'number', text: token.text }, start, end: token.end };
    case 'parameter': {
      cursor.next();
      const index = cursor.tokens.slice(0, cursor.position - 1).filter((t) => t.kind === 'parameter').length;
      return { kind: 'parameter', index, start, end: token.end };
    }
    case 'quoted':
      return parsePath(cursor);
    case 'punctuation':
      return parseBracketed(cursor);
    case 'word':
      return parseWord(cursor);
    default:
      return cursor.fail();
  }
};

/** `(expr)`, `{…}`, `[…]`, `<<…>>`, or a signed number. */
const parseBracketed = (cursor: Cursor): Expr => {
  const token = cursor.next();
  const { start } = token;
  switch (token.text) {
    case '(': {
      const inner = parseExpression(cursor);
      cursor.expectSymbol(')');
      return inner;
    }
    case '{': {
      const entries: { key: Expr; value: Expr }[] = [];
      if (!cursor.isSymbol('}')) {
        do {
          const key = parseExpression(cursor);
          cursor.expectSymbol(':');
          entries.push({ key, value: parseExpression(cursor) });
        } while (cursor.acceptSymbol(','));
      }
      return { kind: 'tuple', entries, start, end: cursor.expectSymbol('}').end };
    }
    case '[': {
      const elements = parseList(cursor, ']');
      return { kind: 'list', elements, start, end: cursor.expectSymbol(']').end };
    }
    case '<<': {
      const elements = parseList(cursor, '>>');
      return { kind: 'bag', elements, start, end: cursor.expectSymbol('>>').end };
    }
    case '-':
    case '+': {
      const number = cursor.next();
      if (number.kind !== 'number') cursor.fail();
      const text = token.text === '-' ? `-${number.text}` : number.text;
      return { kind: 'literal', literal: { type: 'number', text }, start, end: number.end };
    }
    default:
      return cursor.fail();
  }
};

/** A bare word: a literal keyword, a function call, or a path. */
const parseWord = (cursor: Cursor): Expr => {
  const token = cursor.peek();
  const { start, end } = token;
  switch (token.value) {
    case 'TRUE':
    case 'FALSE':
      cursor.next();
      return { kind: 'literal', literal: { type: 'boolean', value: token.value === 'TRUE' }, start, end };
    case 'NULL':
      cursor.next();
      return { kind: 'literal', literal: { type: 'null' }, start, end };
    case 'MISSING':
      cursor.next();
      return { kind: 'literal', literal: { type: 'missing' }, start, end };
    default:
  }
  if (cursor.isSymbol('(', 1) && (!KEYWORDS.has(token.value) || FUNCTION_KEYWORDS.has(token.value))) {
    cursor.next();
    cursor.next();
    // `COUNT(*)` reads as a call without arguments, for the SELECT list to refuse as DynamoDB does.
    if (cursor.isSymbol('*') && cursor.isSymbol(')', 1)) cursor.next();
    const args = parseList(cursor, ')');
    const close = cursor.expectSymbol(')');
    return { kind: 'call', name: token.text.toLowerCase(), args, start, end: close.end };
  }
  return parsePath(cursor);
};

/** A table, index or attribute name: a quoted name, or a bare word that is not reserved. */
const parseIdentifier = (cursor: Cursor): Identifier => {
  if (!cursor.isIdentifier()) cursor.fail();
  const token = cursor.next();
  const quoted = token.kind === 'quoted';
  return { name: quoted ? token.value : token.text, quoted, start: token.start, end: token.end };
};

/** A document path: a name, then `.name`, `['name']` or `[index]` steps. */
const parsePath = (cursor: Cursor): PathExpr => {
  const root = parseIdentifier(cursor);
  const steps: PathStep[] = [];
  let end = root.end;
  for (;;) {
    if (cursor.acceptSymbol('.')) {
      const name = parseIdentifier(cursor);
      steps.push({ kind: 'name', name: name.name });
      end = name.end;
    } else if (cursor.acceptSymbol('[')) {
      const token = cursor.next();
      if (token.kind === 'string') steps.push({ kind: 'name', name: token.value });
      else if (token.kind === 'number' && /^\d+$/.test(token.text))
        steps.push({ kind: 'index', index: Number(token.text) });
      else cursor.fail();
      end = cursor.expectSymbol(']').end;
    } else {
      return { kind: 'path', root: root.name, steps, start: root.start, end };
    }
  }
};

export { parseExpression, parseIdentifier, parsePath };
