import type {
  SetValueNode,
  UpdateActionNode,
  UpdateClauseNode,
  UpdateKeyword,
  UpdateNode,
  ValueNode,
} from './ast.js';
import { parseOperand, parsePath } from './parseOperand.js';
import { TokenStream } from './TokenStream.js';
import type { Token } from './tokenize.js';

const CLAUSE_KEYWORDS: ReadonlySet<string> = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);

/**
 * Parses an UpdateExpression: one or more clauses, each a keyword followed by comma-separated actions.
 * A repeated keyword parses; the "section can only be used once" rule is checked on the tree, where DynamoDB
 * checks it.
 */
const parseUpdate = (text: string): UpdateNode => {
  const stream = new TokenStream(text);
  const clauses: UpdateClauseNode[] = [];
  do {
    const keyword = stream.peek();
    if (keyword.kind !== 'keyword' || !CLAUSE_KEYWORDS.has(keyword.symbol ?? '')) stream.fail();
    stream.next();
    clauses.push(parseClause(stream, keyword));
  } while (stream.peek().kind !== 'eof');
  return { clauses };
};

const parseClause = (stream: TokenStream, keywordToken: Token): UpdateClauseNode => {
  const keyword = keywordToken.symbol as UpdateKeyword;
  const actions = [parseAction(stream, keyword)];
  while (stream.isSymbol(',')) {
    stream.next();
    actions.push(parseAction(stream, keyword));
  }
  return { keyword, actions, start: keywordToken.start, end: stream.peek(-1).end };
};

const parseAction = (stream: TokenStream, keyword: UpdateKeyword): UpdateActionNode => {
  const path = parsePath(stream);
  switch (keyword) {
    case 'SET': {
      stream.expectSymbol('=');
      return { kind: 'SET', path, value: parseSetValue(stream) };
    }
    case 'REMOVE':
      return { kind: 'REMOVE', path };
    default:
      return { kind: keyword, path, value: parseValuePlaceholder(stream) };
  }
};

/** `operand`, `operand + operand` or `operand - operand`; no longer chains, as in DynamoDB. */
const parseSetValue = (stream: TokenStream): SetValueNode => {
  const left = parseOperand(stream);
  if (!stream.isSymbol('+') && !stream.isSymbol('-')) return left;
  const operator = stream.next().symbol as '+' | '-';
  const right = parseOperand(stream);
  return { kind: 'arithmetic', operator, left, right, start: left.start, end: right.end };
};

/** ADD and DELETE take a `:value` placeholder and nothing else. */
const parseValuePlaceholder = (stream: TokenStream): ValueNode => {
  const token = stream.peek();
  if (token.kind !== 'value') stream.fail();
  stream.next();
  return { kind: 'value', placeholder: token.text, start: token.start, end: token.end };
};

export { parseUpdate };
