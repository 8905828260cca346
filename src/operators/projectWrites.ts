/**
 * How `project` writes a batch's rows: `'statements'` (the default: up to 25 conditional PartiQL writes per
 * BatchExecuteStatement, 1 write capacity unit per KB of row), `'each'` (one conditional PutItem per record,
 * the same cost) or `'transactions'` (up to 100 rows per TransactWriteItems, at twice the write capacity).
 *
 * @example
 * project({ client, tableName: 'order-view', view, writes: 'transactions' });
 */
type ProjectWrites = 'statements' | 'each' | 'transactions';

const WRITE_MODES: readonly ProjectWrites[] = ['statements', 'each', 'transactions'];

/** Throws a clear error for a `writes` setting that is not one of the modes. @internal */
const checkProjectWrites = (writes: unknown): void => {
  if (writes !== undefined && !WRITE_MODES.includes(writes as ProjectWrites)) {
    throw new RangeError(
      `project: writes is ${JSON.stringify(writes)}; use 'statements' (up to 25 conditional PartiQL writes per ` +
        "BatchExecuteStatement, the default), 'each' (one conditional PutItem per record) or 'transactions' " +
        '(up to 100 rows per TransactWriteItems, twice the write capacity)',
    );
  }
};

export type { ProjectWrites };
export { checkProjectWrites };
