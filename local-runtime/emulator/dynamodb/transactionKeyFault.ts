import type { AttributeMap } from '../../../src/records/attributeValue.js';
import type { KeySchema } from './keySchema.js';

/**
 * The cancellation reason DynamoDB gives a TransactWriteItems action whose key attributes are all there but of
 * the wrong type (another scalar, or a list, map or set), or undefined when the action's key has no such fault.
 * Unlike PutItem and the single-item operations, a transaction does not refuse the whole request for this: it
 * cancels, with a `ValidationError` reason on that action (`None` on the others). A Put names the attribute
 * and both types, as PutItem does; an Update, Delete or ConditionCheck gives the `Key` message of GetItem.
 * A missing key attribute, an extra one and an empty key value stay faults of the whole request. AWS does not
 * document this split; it is the one DynamoDB answers with when asked, pinned by
 * test/unit/local-runtime/emulator/dynamodb/transactionKeyFault.test.ts and
 * test/integration/emulator/transactionLimits.test.ts.
 *
 * `checked` is the action's `Item` (for a Put) or `Key`, already read by `validateItem`.
 */
const transactionKeyFault = (
  schema: KeySchema,
  action: 'ConditionCheck' | 'Put' | 'Delete' | 'Update',
  checked: AttributeMap,
): string | undefined => {
  const names = schema.rangeKey === undefined ? [schema.hashKey] : [schema.hashKey, schema.rangeKey];
  if (action !== 'Put' && Object.keys(checked).length !== names.length) return undefined;
  for (const name of names) {
    const value = Object.hasOwn(checked, name) ? checked[name] : undefined;
    if (value === undefined) return undefined;
    const actual = Object.keys(value)[0] ?? '';
    const declared = schema.types[name];
    if (actual === declared) continue;
    return action === 'Put'
      ? `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${declared} actual: ${actual}`
      : 'The provided key element does not match the schema';
  }
  return undefined;
};

export { transactionKeyFault };
