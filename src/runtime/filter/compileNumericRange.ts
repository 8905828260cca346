import { InvalidPatternError } from './InvalidPatternError.js';
import type { ValueTest } from './PatternTree.js';

const OPERATORS = ['=', '<', '<=', '>', '>='] as const;
type Operator = (typeof OPERATORS)[number];

const isOperator = (value: unknown): value is Operator => OPERATORS.includes(value as Operator);

const compare = (operator: Operator, bound: number): ((n: number) => boolean) => {
  switch (operator) {
    case '=':
      return (n) => n === bound;
    case '<':
      return (n) => n < bound;
    case '<=':
      return (n) => n <= bound;
    case '>':
      return (n) => n > bound;
    case '>=':
      return (n) => n >= bound;
  }
};

const number = (operator: string, value: unknown): number => {
  if (typeof value !== 'number') {
    throw new InvalidPatternError(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
  }
  return value;
};

/**
 * `{"numeric": […]}` in the grammar EventBridge accepts: `["=", n]`, `["<" | "<=", n]`, `[">" | ">=", n]`, or
 * a lower bound then an upper bound, `[">" | ">=", a, "<" | "<=", b]` with `a < b`. Any other order, a third
 * comparison or a non-number is an error. It only ever matches JSON numbers: DynamoDB `N` attributes are
 * strings in the record (`{"N": "42"}`), so `numeric` never matches them
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html).
 */
const compileNumericRange = (operand: unknown): ValueTest => {
  if (!Array.isArray(operand)) throw new InvalidPatternError('Value of numeric must be an array.');
  const [first, firstValue, second, secondValue] = operand as unknown[];
  if (!isOperator(first)) {
    throw new InvalidPatternError(
      typeof first === 'string'
        ? `Unrecognized numeric range operator: ${first}`
        : `Invalid member in numeric match: ${JSON.stringify(first) ?? 'nothing'}`,
    );
  }
  const low = compare(first, number(first, firstValue));
  if (operand.length === 2) return (value) => typeof value === 'number' && low(value);
  if (first !== '>' && first !== '>=')
    throw new InvalidPatternError('Too many elements in numeric expression');
  if (second !== '<' && second !== '<=') {
    throw new InvalidPatternError(`Bad numeric range operator: ${String(second)}`);
  }
  const top = number(second, secondValue);
  if (operand.length !== 4) throw new InvalidPatternError('Too many terms in numeric range expression');
  if (!((firstValue as number) < top)) throw new InvalidPatternError('Bottom must be less than top');
  const high = compare(second, top);
  return (value) => typeof value === 'number' && low(value) && high(value);
};

export { compileNumericRange };
