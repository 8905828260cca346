/**
 * The syntax tree `parseStatement` produces: the statement as written, parameters unresolved. Every node keeps
 * its offsets in the statement text, because several of DynamoDB's PartiQL messages name a position
 * (`… at 1:37:4`: line, column, length).
 */
interface Span {
  readonly start: number;
  readonly end: number;
}

/** A table, index or attribute name; `quoted` when written in double quotes. */
interface Identifier extends Span {
  readonly name: string;
  readonly quoted: boolean;
}

/** One step after a path's first name: `.name`, `['name']` or `[0]`. */
type PathStep =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number };

interface PathExpr extends Span {
  readonly kind: 'path';
  readonly root: string;
  readonly steps: readonly PathStep[];
}

type Literal =
  | { readonly type: 'string'; readonly value: string }
  /** The digits as written (sign included), turned into DynamoDB's canonical number when used. */
  | { readonly type: 'number'; readonly text: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' }
  | { readonly type: 'missing' };

interface LiteralExpr extends Span {
  readonly kind: 'literal';
  readonly literal: Literal;
}

/** `?`: the `index`-th (from 0) of the request's Parameters. */
interface ParameterExpr extends Span {
  readonly kind: 'parameter';
  readonly index: number;
}

/** `{ 'key': value, … }`: a map. */
interface TupleExpr extends Span {
  readonly kind: 'tuple';
  readonly entries: readonly { readonly key: Expr; readonly value: Expr }[];
}

/** `[a, b]`: a list. */
interface ListExpr extends Span {
  readonly kind: 'list';
  readonly elements: readonly Expr[];
}

/** `<<a, b>>`: a bag, which DynamoDB reads as a string or number set. */
interface BagExpr extends Span {
  readonly kind: 'bag';
  readonly elements: readonly Expr[];
}

type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

interface ComparisonExpr extends Span {
  readonly kind: 'comparison';
  readonly operator: Comparator;
  readonly left: Expr;
  readonly right: Expr;
}

interface LogicalExpr extends Span {
  readonly kind: 'and' | 'or';
  readonly left: Expr;
  readonly right: Expr;
}

interface NotExpr extends Span {
  readonly kind: 'not';
  readonly operand: Expr;
}

interface BetweenExpr extends Span {
  readonly kind: 'between';
  readonly negated: boolean;
  readonly operand: Expr;
  readonly lower: Expr;
  readonly upper: Expr;
}

/** `a IN [x, y]` or `a IN (x, y)`. */
interface InExpr extends Span {
  readonly kind: 'in';
  readonly negated: boolean;
  readonly operand: Expr;
  readonly candidates: readonly Expr[];
}

/** `a IS [NOT] MISSING`, `a IS [NOT] NULL`. */
interface IsExpr extends Span {
  readonly kind: 'is';
  readonly negated: boolean;
  readonly operand: Expr;
  readonly test: 'MISSING' | 'NULL';
}

interface CallExpr extends Span {
  readonly kind: 'call';
  /** Lower-cased: PartiQL's function names are case-insensitive. */
  readonly name: string;
  readonly args: readonly Expr[];
}

/** `a + b`, `a - b`, and `a || b` (which DynamoDB refuses). */
interface ArithmeticExpr extends Span {
  readonly kind: 'arithmetic';
  readonly operator: '+' | '-' | '||';
  readonly left: Expr;
  readonly right: Expr;
  /** Where the operator is written, for DynamoDB's messages about it. */
  readonly operatorStart: number;
}

type Expr =
  | PathExpr
  | LiteralExpr
  | ParameterExpr
  | TupleExpr
  | ListExpr
  | BagExpr
  | ComparisonExpr
  | LogicalExpr
  | NotExpr
  | BetweenExpr
  | InExpr
  | IsExpr
  | CallExpr
  | ArithmeticExpr;

interface OrderKey {
  readonly path: PathExpr;
  readonly descending: boolean;
}

interface SelectStatement {
  readonly kind: 'select';
  /** `*`, or the projected expressions in written order. */
  readonly projection: '*' | readonly Expr[];
  readonly table: Identifier;
  readonly index?: Identifier;
  readonly where?: Expr;
  readonly orderBy: readonly OrderKey[];
}

interface InsertStatement {
  readonly kind: 'insert';
  readonly table: Identifier;
  readonly value: Expr;
  /** Present only so that it can be refused with DynamoDB's message. */
  readonly returning?: Returning;
}

type UpdateAction =
  | { readonly kind: 'set'; readonly path: PathExpr; readonly value: Expr }
  | { readonly kind: 'remove'; readonly path: PathExpr };

interface UpdateStatement {
  readonly kind: 'update';
  readonly table: Identifier;
  readonly actions: readonly UpdateAction[];
  readonly where?: Expr;
  readonly returning?: Returning;
}

interface DeleteStatement {
  readonly kind: 'delete';
  readonly table: Identifier;
  readonly where?: Expr;
  readonly returning?: Returning;
}

/** `EXISTS(SELECT …)`: a transaction's condition check. */
interface ExistsStatement {
  readonly kind: 'exists';
  readonly select: SelectStatement;
}

/** `RETURNING ALL OLD *` and friends, named after the ReturnValues they stand for. */
type Returning = 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;

interface ParsedStatement {
  readonly statement: Statement;
  /** How many `?` the statement holds: the least number of Parameters the request must carry. */
  readonly parameterCount: number;
  /** The statement text, for messages that quote it or give positions in it. */
  readonly text: string;
}

export type {
  ArithmeticExpr,
  BagExpr,
  BetweenExpr,
  CallExpr,
  Comparator,
  ComparisonExpr,
  DeleteStatement,
  ExistsStatement,
  Expr,
  Identifier,
  InExpr,
  InsertStatement,
  IsExpr,
  ListExpr,
  Literal,
  LiteralExpr,
  LogicalExpr,
  NotExpr,
  OrderKey,
  ParameterExpr,
  ParsedStatement,
  PathExpr,
  PathStep,
  Returning,
  SelectStatement,
  Span,
  Statement,
  TupleExpr,
  UpdateAction,
  UpdateStatement,
};
