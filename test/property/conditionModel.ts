import fc from 'fast-check';
import type { AttributeMap, AttributeValue } from '../../src/records/attributeValue.js';
import { binaryValue, numberValue, scalarValue, setValue, stringValue } from './attributeArbitraries.js';
import { modelCompare, modelEqual, modelRead, modelSize, type PathStep, typeOf } from './valueModel.js';

/**
 * Random ConditionExpressions as a small syntax tree, rendered to DynamoDB's text with placeholders, and an
 * independent evaluator of the tree written from the Developer Guide's "Condition expressions" reference
 * (where the guide is silent, DynamoDB Local was asked, as noted).
 */

type Operand =
  | { readonly kind: 'path'; readonly path: readonly PathStep[] }
  | { readonly kind: 'size'; readonly path: readonly PathStep[] }
  | { readonly kind: 'value'; readonly value: AttributeValue };

type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

type ConditionTree =
  | {
      readonly kind: 'compare';
      readonly operator: Comparator;
      readonly left: Operand;
      readonly right: Operand;
    }
  | {
      readonly kind: 'between';
      readonly operand: Operand;
      readonly lower: AttributeValue;
      readonly upper: AttributeValue;
    }
  | { readonly kind: 'in'; readonly operand: Operand; readonly candidates: readonly AttributeValue[] }
  | { readonly kind: 'exists' | 'not_exists'; readonly path: readonly PathStep[] }
  | { readonly kind: 'type'; readonly path: readonly PathStep[]; readonly type: string }
  | {
      readonly kind: 'begins_with' | 'contains';
      readonly path: readonly PathStep[];
      readonly value: AttributeValue;
    }
  | { readonly kind: 'and' | 'or'; readonly left: ConditionTree; readonly right: ConditionTree }
  | { readonly kind: 'not'; readonly operand: ConditionTree };

const PATHS: readonly (readonly PathStep[])[] = [
  ['a'],
  ['b'],
  ['c'],
  ['missing'],
  ['m', 'x'],
  ['m', 'y'],
  ['n', 'x'],
  ['n', 'z', 'x'],
  ['l', 0],
  ['l', 1],
  ['l', 0, 'x'],
  ['a', 0],
  ['b', 'x'],
];
const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];

const path = fc.constantFrom(...PATHS);
const samePath = (a: readonly PathStep[], b: readonly PathStep[]) =>
  a.length === b.length && a.every((step, i) => step === b[i]);

/** A path, or size() of one: what may stand first in a comparison. */
const subject: fc.Arbitrary<Operand> = fc.oneof(
  { weight: 3, arbitrary: path.map((p): Operand => ({ kind: 'path', path: p })) },
  { weight: 1, arbitrary: path.map((p): Operand => ({ kind: 'size', path: p })) },
);

const comparison: fc.Arbitrary<ConditionTree> = fc
  .tuple(
    fc.constantFrom<Comparator>('=', '<>', '<', '<=', '>', '>='),
    subject,
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.oneof(scalarValue, setValue).map((value): Operand => ({ kind: 'value', value })),
      },
      { weight: 1, arbitrary: subject },
    ),
  )
  // DynamoDB refuses `a = a` and, for the ordering comparators, literal operands that are not S, N or B.
  .filter(([operator, left, right]) => {
    if (
      left.kind !== 'value' &&
      right.kind !== 'value' &&
      left.kind === right.kind &&
      samePath(left.path, right.path)
    )
      return false;
    if (operator !== '=' && operator !== '<>' && right.kind === 'value')
      return ['S', 'N', 'B'].includes(typeOf(right.value));
    return true;
  })
  .map(([operator, left, right]): ConditionTree => ({ kind: 'compare', operator, left, right }));

const between: fc.Arbitrary<ConditionTree> = fc
  .tuple(
    subject,
    fc.oneof(
      fc.tuple(stringValue, stringValue),
      fc.tuple(numberValue, numberValue),
      fc.tuple(binaryValue, binaryValue),
    ),
  )
  .map(([operand, [x, y]]): ConditionTree => {
    // DynamoDB refuses literal bounds out of order.
    const [lower, upper] = (modelCompare(x, y) ?? 0) <= 0 ? [x, y] : [y, x];
    return { kind: 'between', operand, lower, upper };
  });

const inList: fc.Arbitrary<ConditionTree> = fc
  .tuple(subject, fc.array(fc.oneof(scalarValue, setValue), { minLength: 1, maxLength: 3 }))
  .map(([operand, candidates]): ConditionTree => ({ kind: 'in', operand, candidates }));

const leaf: fc.Arbitrary<ConditionTree> = fc.oneof(
  { weight: 4, arbitrary: comparison },
  { weight: 1, arbitrary: between },
  { weight: 1, arbitrary: inList },
  { weight: 1, arbitrary: path.map((p): ConditionTree => ({ kind: 'exists', path: p })) },
  { weight: 1, arbitrary: path.map((p): ConditionTree => ({ kind: 'not_exists', path: p })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(path, fc.constantFrom(...TYPES))
      .map(([p, type]): ConditionTree => ({ kind: 'type', path: p, type })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(path, fc.oneof(stringValue, binaryValue))
      .map(([p, value]): ConditionTree => ({ kind: 'begins_with', path: p, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(path, scalarValue)
      .map(([p, value]): ConditionTree => ({ kind: 'contains', path: p, value })),
  },
);

const conditionTree: fc.Arbitrary<ConditionTree> = fc.letrec<{ tree: ConditionTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: leaf },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), tie('tree'), tie('tree'))
        .map(([kind, left, right]): ConditionTree => ({ kind, left, right })),
    },
    { weight: 1, arbitrary: tie('tree').map((operand): ConditionTree => ({ kind: 'not', operand })) },
  ),
})).tree;

/** The expression text with its placeholder maps; every name and value goes through a placeholder. */
interface RenderedExpression {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

/** Hands out placeholders, one per distinct name and one per value. */
class PlaceholderPool {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  #byName = new Map<string, string>();

  name(name: string): string {
    let placeholder = this.#byName.get(name);
    if (placeholder === undefined) {
      placeholder = `#n${this.#byName.size}`;
      this.#byName.set(name, placeholder);
      this.names[placeholder] = name;
    }
    return placeholder;
  }

  value(value: AttributeValue): string {
    const placeholder = `:v${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  path(steps: readonly PathStep[]): string {
    return steps
      .map((step, i) => (typeof step === 'number' ? `[${step}]` : `${i === 0 ? '' : '.'}${this.name(step)}`))
      .join('');
  }
}

const PRECEDENCE = { or: 1, and: 2, not: 3 } as const;
const precedence = (tree: ConditionTree) =>
  tree.kind === 'or' || tree.kind === 'and' || tree.kind === 'not' ? PRECEDENCE[tree.kind] : 4;

const renderOperand = (operand: Operand, pool: PlaceholderPool): string => {
  if (operand.kind === 'value') return pool.value(operand.value);
  if (operand.kind === 'size') return `size(${pool.path(operand.path)})`;
  return pool.path(operand.path);
};

/** Parentheses only where precedence needs them: DynamoDB refuses redundant ones. */
const renderTree = (tree: ConditionTree, pool: PlaceholderPool): string => {
  const child = (inner: ConditionTree, minimum: number) => {
    const text = renderTree(inner, pool);
    return precedence(inner) < minimum ? `(${text})` : text;
  };
  switch (tree.kind) {
    case 'compare':
      return `${renderOperand(tree.left, pool)} ${tree.operator} ${renderOperand(tree.right, pool)}`;
    case 'between':
      return `${renderOperand(tree.operand, pool)} BETWEEN ${pool.value(tree.lower)} AND ${pool.value(tree.upper)}`;
    case 'in':
      return `${renderOperand(tree.operand, pool)} IN (${tree.candidates.map((c) => pool.value(c)).join(', ')})`;
    case 'exists':
      return `attribute_exists(${pool.path(tree.path)})`;
    case 'not_exists':
      return `attribute_not_exists(${pool.path(tree.path)})`;
    case 'type':
      return `attribute_type(${pool.path(tree.path)}, ${pool.value({ S: tree.type })})`;
    case 'begins_with':
    case 'contains':
      return `${tree.kind}(${pool.path(tree.path)}, ${pool.value(tree.value)})`;
    case 'not':
      return `NOT ${child(tree.operand, PRECEDENCE.not)}`;
    default:
      return `${child(tree.left, PRECEDENCE[tree.kind])} ${tree.kind.toUpperCase()} ${child(tree.right, PRECEDENCE[tree.kind])}`;
  }
};

const renderCondition = (tree: ConditionTree): RenderedExpression => {
  const pool = new PlaceholderPool();
  const expression = renderTree(tree, pool);
  return { expression, names: pool.names, values: pool.values };
};

const operandValue = (operand: Operand, item: AttributeMap | undefined): AttributeValue | undefined => {
  if (operand.kind === 'value') return operand.value;
  const value = modelRead(item, operand.path);
  if (operand.kind === 'path' || value === undefined) return value;
  const size = modelSize(value);
  return size === undefined ? undefined : { N: String(size) };
};

/**
 * The Developer Guide's semantics: a comparison with a missing operand, or of operands of different types,
 * is false (so `<>` is true); BETWEEN and the ordering comparators need one scalar type; contains() looks in
 * strings, sets and lists.
 */
const modelCondition = (tree: ConditionTree, item: AttributeMap | undefined): boolean => {
  switch (tree.kind) {
    case 'and':
      return modelCondition(tree.left, item) && modelCondition(tree.right, item);
    case 'or':
      return modelCondition(tree.left, item) || modelCondition(tree.right, item);
    case 'not':
      return !modelCondition(tree.operand, item);
    case 'compare': {
      const left = operandValue(tree.left, item);
      const right = operandValue(tree.right, item);
      const equal = left !== undefined && right !== undefined && modelEqual(left, right);
      if (tree.operator === '=') return equal;
      if (tree.operator === '<>') return !equal;
      const order = left === undefined || right === undefined ? undefined : modelCompare(left, right);
      if (order === undefined) return false;
      if (tree.operator === '<') return order < 0;
      if (tree.operator === '<=') return order <= 0;
      if (tree.operator === '>') return order > 0;
      return order >= 0;
    }
    case 'between': {
      const value = operandValue(tree.operand, item);
      if (value === undefined) return false;
      const low = modelCompare(tree.lower, value);
      const high = modelCompare(value, tree.upper);
      return low !== undefined && high !== undefined && low <= 0 && high <= 0;
    }
    case 'in': {
      const value = operandValue(tree.operand, item);
      return value !== undefined && tree.candidates.some((candidate) => modelEqual(value, candidate));
    }
    case 'exists':
      return modelRead(item, tree.path) !== undefined;
    case 'not_exists':
      return modelRead(item, tree.path) === undefined;
    case 'type': {
      const value = modelRead(item, tree.path);
      return value !== undefined && typeOf(value) === tree.type;
    }
    case 'begins_with': {
      const value = modelRead(item, tree.path);
      const prefix = tree.value;
      if (value === undefined) return false;
      if ('S' in value && 'S' in prefix)
        return Buffer.from(value.S).subarray(0, Buffer.byteLength(prefix.S)).equals(Buffer.from(prefix.S));
      if ('B' in value && 'B' in prefix) {
        const whole = Buffer.from(value.B, 'base64');
        const start = Buffer.from(prefix.B, 'base64');
        return whole.subarray(0, start.length).equals(start);
      }
      return false;
    }
    default: {
      const value = modelRead(item, tree.path);
      const needle = tree.value;
      if (value === undefined) return false;
      if ('S' in value) return 'S' in needle && value.S.includes(needle.S);
      if ('SS' in value) return 'S' in needle && value.SS.includes(needle.S);
      if ('NS' in value)
        return 'N' in needle && value.NS.some((member) => Number(member) === Number(needle.N));
      if ('BS' in value)
        return (
          'B' in needle &&
          value.BS.some((member) => Buffer.from(member, 'base64').equals(Buffer.from(needle.B, 'base64')))
        );
      if ('L' in value) return value.L.some((element) => modelEqual(element, needle));
      // Not in the Developer Guide's list, but DynamoDB (Local, asked directly) finds a byte sequence in a
      // binary: contains(b, :v) holds for b = 0x000102 and :v = 0x01, 0x0102 or the empty binary.
      if ('B' in value)
        return 'B' in needle && Buffer.from(value.B, 'base64').includes(Buffer.from(needle.B, 'base64'));
      return false;
    }
  }
};

export type { ConditionTree, RenderedExpression };
export { conditionTree, modelCondition, PlaceholderPool, renderCondition };
