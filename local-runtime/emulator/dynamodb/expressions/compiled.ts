import type { AttributeType, AttributeValue } from '../../../../src/records/attributeValue.js';
import type { Comparator } from './ast.js';

/**
 * The compiled forms `compileExpressions` returns and the evaluators run: placeholders replaced by the names
 * and values they stand for, groups flattened, everything already checked. Plain data, so a compiled
 * expression can be kept and run against any number of items.
 */

/** One step of a document path: an attribute or map key name, or a list index. */
type PathElement = string | number;

/** A document path after name substitution: `a.#b[2]` with `#b` → `x.y` is `['a', 'x.y', 2]`. */
type DocumentPath = readonly PathElement[];

type Operand =
  | { readonly kind: 'path'; readonly path: DocumentPath }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'size'; readonly operand: Operand };

type Condition =
  | {
      readonly kind: 'comparison';
      readonly operator: Comparator;
      readonly left: Operand;
      readonly right: Operand;
    }
  | { readonly kind: 'between'; readonly operand: Operand; readonly lower: Operand; readonly upper: Operand }
  | { readonly kind: 'in'; readonly operand: Operand; readonly candidates: readonly Operand[] }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'attribute_exists' | 'attribute_not_exists'; readonly path: DocumentPath }
  | { readonly kind: 'attribute_type'; readonly path: DocumentPath; readonly type: AttributeType }
  | { readonly kind: 'begins_with' | 'contains'; readonly left: Operand; readonly right: Operand };

/** The right-hand side of a SET action. */
type UpdateValue =
  | { readonly kind: 'path'; readonly path: DocumentPath }
  | { readonly kind: 'value'; readonly value: AttributeValue }
  | { readonly kind: 'if_not_exists'; readonly path: DocumentPath; readonly fallback: UpdateValue }
  | { readonly kind: 'list_append'; readonly left: UpdateValue; readonly right: UpdateValue }
  | {
      readonly kind: 'arithmetic';
      readonly operator: '+' | '-';
      readonly left: UpdateValue;
      readonly right: UpdateValue;
    };

type UpdateAction =
  | { readonly kind: 'SET'; readonly path: DocumentPath; readonly value: UpdateValue }
  | { readonly kind: 'REMOVE'; readonly path: DocumentPath }
  | { readonly kind: 'ADD' | 'DELETE'; readonly path: DocumentPath; readonly value: AttributeValue };

interface UpdateClause {
  readonly keyword: 'SET' | 'REMOVE' | 'ADD' | 'DELETE';
  readonly actions: readonly UpdateAction[];
}

interface Update {
  /** In the order written; each keyword at most once. */
  readonly clauses: readonly UpdateClause[];
  /**
   * The attribute names at the root of every path the update writes or removes, after name substitution:
   * what UpdateItem checks against the key attributes and reports for UPDATED_OLD / UPDATED_NEW.
   */
  readonly topLevelAttributes: ReadonlySet<string>;
}

interface Projection {
  readonly paths: readonly DocumentPath[];
}

type KeyOperator = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with';

/** One condition of a key condition, as written (`:v = a` is read as `a = :v`). */
interface KeyConditionTerm {
  readonly path: DocumentPath;
  readonly operator: KeyOperator;
  readonly values: readonly AttributeValue[];
}

interface KeyCondition {
  readonly partitionKey: { readonly name: string; readonly value: AttributeValue };
  readonly sortKey?: {
    readonly name: string;
    readonly operator: KeyOperator;
    readonly values: AttributeValue[];
  };
}

export type {
  Condition,
  DocumentPath,
  KeyCondition,
  KeyConditionTerm,
  KeyOperator,
  Operand,
  PathElement,
  Projection,
  Update,
  UpdateAction,
  UpdateClause,
  UpdateValue,
};
