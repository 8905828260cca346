/**
 * DynamoDB's expression functions and how many operands each takes. Names are case-sensitive.
 * Condition functions are conditions on their own; `size` is an operand; update functions only appear on the
 * right of a SET.
 */
const CONDITION_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['attribute_exists', 1],
  ['attribute_not_exists', 1],
  ['attribute_type', 2],
  ['begins_with', 2],
  ['contains', 2],
]);

const OPERAND_FUNCTIONS: ReadonlyMap<string, number> = new Map([['size', 1]]);

const UPDATE_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['if_not_exists', 2],
  ['list_append', 2],
]);

const functionArity = (name: string): number | undefined =>
  CONDITION_FUNCTIONS.get(name) ?? OPERAND_FUNCTIONS.get(name) ?? UPDATE_FUNCTIONS.get(name);

export { CONDITION_FUNCTIONS, functionArity, OPERAND_FUNCTIONS, UPDATE_FUNCTIONS };
