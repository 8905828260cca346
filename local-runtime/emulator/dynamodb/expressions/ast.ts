import type { Keyword } from './tokenize.js';

/**
 * The syntax tree the parsers produce: the text as written, placeholders unresolved. The checkers walk it
 * for DynamoDB's validation rules and the binders turn it into the compiled forms in `compiled.ts`.
 */
interface Span {
  readonly start: number;
  readonly end: number;
}

type PathPart =
  | (Span & { readonly kind: 'name'; readonly name: string })
  | (Span & { readonly kind: 'placeholder'; readonly placeholder: string })
  /** The digits as written, so an index too large for a number is still reported as written. */
  | (Span & { readonly kind: 'index'; readonly digits: string });

interface PathNode extends Span {
  readonly kind: 'path';
  /** The first part is always a name or a placeholder. */
  readonly parts: readonly PathPart[];
}

interface ValueNode extends Span {
  readonly kind: 'value';
  readonly placeholder: string;
}

interface CallNode extends Span {
  readonly kind: 'call';
  /** As written: DynamoDB's function names are case-sensitive. */
  readonly name: string;
  readonly args: readonly OperandNode[];
}

interface OperandGroupNode extends Span {
  readonly kind: 'operandGroup';
  readonly inner: OperandNode;
}

type OperandNode = PathNode | ValueNode | CallNode | OperandGroupNode;

/** `a + b` or `a - b`, only on the right of a SET action. */
interface ArithmeticNode extends Span {
  readonly kind: 'arithmetic';
  readonly operator: '+' | '-';
  readonly left: OperandNode;
  readonly right: OperandNode;
}

type SetValueNode = OperandNode | ArithmeticNode;

type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

interface ComparisonNode extends Span {
  readonly kind: 'comparison';
  readonly operator: Comparator;
  readonly left: OperandNode;
  readonly right: OperandNode;
}

interface BetweenNode extends Span {
  readonly kind: 'between';
  readonly operand: OperandNode;
  readonly lower: OperandNode;
  readonly upper: OperandNode;
}

interface InNode extends Span {
  readonly kind: 'in';
  readonly operand: OperandNode;
  readonly candidates: readonly OperandNode[];
}

interface LogicalNode extends Span {
  readonly kind: 'and' | 'or';
  readonly left: ConditionNode;
  readonly right: ConditionNode;
}

interface NotNode extends Span {
  readonly kind: 'not';
  readonly operand: ConditionNode;
}

interface ConditionGroupNode extends Span {
  readonly kind: 'conditionGroup';
  readonly inner: ConditionNode;
}

/** A condition; a CallNode here is a function used as a condition, such as `attribute_exists(a)`. */
type ConditionNode =
  | ComparisonNode
  | BetweenNode
  | InNode
  | LogicalNode
  | NotNode
  | ConditionGroupNode
  | CallNode;

type UpdateKeyword = Extract<Keyword, 'SET' | 'REMOVE' | 'ADD' | 'DELETE'>;

type UpdateActionNode =
  | { readonly kind: 'SET'; readonly path: PathNode; readonly value: SetValueNode }
  | { readonly kind: 'REMOVE'; readonly path: PathNode }
  | { readonly kind: 'ADD' | 'DELETE'; readonly path: PathNode; readonly value: ValueNode };

interface UpdateClauseNode extends Span {
  readonly keyword: UpdateKeyword;
  readonly actions: readonly UpdateActionNode[];
}

interface UpdateNode {
  readonly clauses: readonly UpdateClauseNode[];
}

interface ProjectionNode {
  readonly paths: readonly PathNode[];
}

export type {
  ArithmeticNode,
  BetweenNode,
  CallNode,
  Comparator,
  ComparisonNode,
  ConditionGroupNode,
  ConditionNode,
  InNode,
  LogicalNode,
  NotNode,
  OperandGroupNode,
  OperandNode,
  PathNode,
  PathPart,
  ProjectionNode,
  SetValueNode,
  Span,
  UpdateActionNode,
  UpdateClauseNode,
  UpdateKeyword,
  UpdateNode,
  ValueNode,
};
