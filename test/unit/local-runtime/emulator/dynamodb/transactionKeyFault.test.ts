import { describe, expect, it } from 'vitest';
import type { KeySchema } from '../../../../../local-runtime/emulator/dynamodb/keySchema.js';
import { transactionKeyFault } from '../../../../../local-runtime/emulator/dynamodb/transactionKeyFault.js';

// The split live DynamoDB answers with; AWS does not document it (see also
// test/integration/emulator/transactionLimits.test.ts).
const hashOnly: KeySchema = { hashKey: 'pk', types: { pk: 'S' } };
const composite: KeySchema = { hashKey: 'pk', rangeKey: 'sk', types: { pk: 'S', sk: 'N' } };

describe('transactionKeyFault (undocumented; as live DynamoDB answers)', () => {
  it("names the attribute and both types for a Put, as PutItem's message does", () => {
    expect(transactionKeyFault(hashOnly, 'Put', { pk: { N: '5' }, a: { S: 'x' } })).toBe(
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
    );
    expect(transactionKeyFault(composite, 'Put', { pk: { S: 'p' }, sk: { L: [] } })).toBe(
      'One or more parameter values were invalid: Type mismatch for key sk expected: N actual: L',
    );
  });

  it.each(['Update', 'Delete', 'ConditionCheck'] as const)('gives the Key message for a %s', (action) => {
    expect(transactionKeyFault(hashOnly, action, { pk: { M: {} } })).toBe(
      'The provided key element does not match the schema',
    );
  });

  it('leaves missing, extra and well-typed key attributes to the whole request', () => {
    expect(transactionKeyFault(hashOnly, 'Put', { pk: { S: 'p' } })).toBeUndefined();
    expect(transactionKeyFault(hashOnly, 'Put', { a: { N: '1' } })).toBeUndefined();
    expect(transactionKeyFault(composite, 'Put', { pk: { N: '1' } })).toBe(
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
    );
    expect(transactionKeyFault(composite, 'Put', { sk: { S: '1' } })).toBeUndefined();
    expect(transactionKeyFault(hashOnly, 'Delete', { pk: { N: '1' }, x: { S: 'y' } })).toBeUndefined();
    expect(transactionKeyFault(composite, 'Update', { pk: { N: '1' } })).toBeUndefined();
    expect(transactionKeyFault(composite, 'Update', { pk: { S: 'p' }, sk: { N: '1' } })).toBeUndefined();
  });
});
