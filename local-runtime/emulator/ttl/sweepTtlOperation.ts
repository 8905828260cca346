import type { Operation } from '../operation.js';
import { sweepExpiredItems } from './sweepExpiredItems.js';

/**
 * The TTL sweep of one region as an operation (`EddyControl.SweepTtl`), so that it can run through the
 * emulator's dispatch like any state change: at one instant, and journaled when a journal is attached.
 */
const sweepTtlOperation: Operation = (_input, { region, clock }) => ({
  DeletedItemCount: sweepExpiredItems(region, clock.now()),
});

export { sweepTtlOperation };
