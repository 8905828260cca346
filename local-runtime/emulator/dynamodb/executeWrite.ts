import type { AttributeMap } from '../../../src/records/attributeValue.js';
import { chargeItemWrite } from './capacity/chargeItemWrite.js';
import { CapacityUsage, consumedCapacityMember } from './capacity/consumedCapacity.js';
import { itemCollectionMetrics } from './capacity/itemCollectionMetrics.js';
import { checkCondition } from './checkCondition.js';
import type { PreparedWrite } from './PreparedWrite.js';

interface ExecutedWrite {
  readonly existing: AttributeMap | undefined;
  readonly next: AttributeMap | undefined;
  /** The response members every single-item write may add: ConsumedCapacity and ItemCollectionMetrics. */
  readonly report: Record<string, unknown>;
}

/**
 * Runs a prepared single-item write (PutItem, UpdateItem, DeleteItem): the condition against the stored item
 * (a failure writes nothing, so no stream record), the effect, the one `Table.write` that stores it and reports
 * it to the stream, and the capacity and item collection it touched.
 */
const executeWrite = (write: PreparedWrite, input: Record<string, unknown>): ExecutedWrite => {
  const { table, key } = write;
  const existing = table.getItem(key);
  checkCondition(write.condition, existing, input);
  const next = write.apply(existing);
  const nextSize = write.nextSize ?? (next === undefined ? undefined : write.measuredSize?.(next));
  table.write(key, next, nextSize === undefined ? undefined : { nextSize });
  const mode = input.ReturnConsumedCapacity;
  const metrics =
    input.ReturnItemCollectionMetrics === 'SIZE' ? itemCollectionMetrics(table, key) : undefined;
  // Most writes ask for neither: the capacity is counted only for a response that reports it.
  if (metrics === undefined && mode !== 'TOTAL' && mode !== 'INDEXES') return { existing, next, report: {} };
  const usage = new CapacityUsage(table.name);
  chargeItemWrite(usage, table, key, existing, next);
  return {
    existing,
    next,
    report: {
      ...consumedCapacityMember(mode, usage),
      ...(metrics === undefined ? {} : { ItemCollectionMetrics: metrics }),
    },
  };
};

/** The response of PutItem and DeleteItem: the old item for ReturnValues ALL_OLD, and the write's report. */
const allOldResponse = (
  returnValues: string,
  { existing, report }: ExecutedWrite,
): Record<string, unknown> => ({
  ...(returnValues === 'ALL_OLD' && existing !== undefined ? { Attributes: existing } : {}),
  ...report,
});

export type { ExecutedWrite };
export { allOldResponse, executeWrite };
