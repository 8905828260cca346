import type { Tape } from '../../../src/tape/tapeFormat.js';

/** A table's key and stream as CreateTable and DescribeTable spell them (wire JSON). */
interface TableShape {
  readonly KeySchema: readonly { readonly AttributeName: string; readonly KeyType: string }[];
  readonly AttributeDefinitions: readonly {
    readonly AttributeName: string;
    readonly AttributeType: string;
  }[];
  /** Undefined: no stream enabled. */
  readonly StreamViewType?: string | undefined;
}

/** Each key attribute's type (S, N or B), from the first record that has it; absent for a tape without records. */
const keyTypesOf = (tape: Tape): Map<string, string> => {
  const types = new Map<string, string>();
  for (const { AttributeName } of tape.header.keySchema) {
    for (const { record } of tape.records) {
      const value = record.dynamodb.Keys[AttributeName];
      const type = value === undefined ? undefined : Object.keys(value)[0];
      if (type !== undefined) {
        types.set(AttributeName, type);
        break;
      }
    }
  }
  return types;
};

/**
 * The CreateTable input of a tape's table when nothing declares it: its name and key schema from the header,
 * the key attributes' types from the records (S when the tape has none), on-demand billing, and no stream (the
 * loader gives the table the tape's stream).
 */
const tapeCreateTableInput = (tape: Tape): Record<string, unknown> => {
  const types = keyTypesOf(tape);
  return {
    TableName: tape.header.tableName,
    KeySchema: tape.header.keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    AttributeDefinitions: tape.header.keySchema.map((k) => ({
      AttributeName: k.AttributeName,
      AttributeType: types.get(k.AttributeName) ?? 'S',
    })),
    BillingMode: 'PAY_PER_REQUEST',
  };
};

const describeKey = (
  keySchema: TableShape['KeySchema'],
  typeOf: (name: string) => string | undefined,
): string =>
  keySchema
    .map((k) => {
      const type = typeOf(k.AttributeName);
      return `${k.AttributeName} (${k.KeyType}${type === undefined ? '' : ` ${type}`})`;
    })
    .join(', ');

/**
 * How a table someone else declares (the template, or the emulator's existing table: `owner` says which)
 * disagrees with the tape's table, in words that say what to change; undefined when they agree. The key schema
 * and the key attributes' types must be the same, or the records' keys would not be the table's; a stream the
 * table already has must have the tape's StreamViewType, or its handlers would see other images than the tape's.
 */
const tableProblem = (tape: Tape, tapeName: string, owner: string, table: TableShape): string | undefined => {
  const { header } = tape;
  const tapeTypes = keyTypesOf(tape);
  const ownTypes = new Map(table.AttributeDefinitions.map((a) => [a.AttributeName, a.AttributeType]));
  const sameKey =
    table.KeySchema.length === header.keySchema.length &&
    table.KeySchema.every((k, i) => {
      const theirs = header.keySchema[i];
      const type = tapeTypes.get(k.AttributeName);
      return (
        theirs !== undefined &&
        theirs.AttributeName === k.AttributeName &&
        theirs.KeyType === k.KeyType &&
        (type === undefined || type === ownTypes.get(k.AttributeName))
      );
    });
  if (!sameKey) {
    return (
      `${owner} has table ${header.tableName} with key ${describeKey(table.KeySchema, (n) => ownTypes.get(n))}, ` +
      `but ${tapeName} holds records keyed by ${describeKey(header.keySchema, (n) => tapeTypes.get(n))}: ` +
      `load a tape of this table, or give the table the tape's key`
    );
  }
  if (table.StreamViewType !== undefined && table.StreamViewType !== header.streamViewType) {
    return (
      `${owner} has table ${header.tableName} with StreamViewType ${table.StreamViewType}, but ${tapeName} ` +
      `holds ${header.streamViewType} records: set StreamViewType ${header.streamViewType} on the table, or load a ` +
      `tape recorded with ${table.StreamViewType}`
    );
  }
  return undefined;
};

export type { TableShape };
export { tableProblem, tapeCreateTableInput };
