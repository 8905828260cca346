/**
 * `eddy/testing`, the test kit: an in-process emulator with a template's tables, builders of DynamoDB stream
 * records and Lambda events, and handler runs through a real event source mapping on a manual clock.
 * Development-time code: import it from tests, never from a handler.
 *
 * @example
 * // test/ordersProjection.test.ts: template.yaml's projection, end to end, in a dozen lines
 * import { startTestEmulator } from 'eddy/testing';
 * import { expect, it } from 'vitest';
 *
 * it('projects orders into the view', async () => {
 *   await using eddy = await startTestEmulator({ template: 'template.yaml' });
 *   eddy.useEnvironment('OrdersProjectionFunction'); // VIEW_TABLE, AWS_ENDPOINT_URL… before the import
 *   const { handler } = await import('../handlers/ordersProjection.js');
 *   await using run = await eddy.runHandler(handler, { function: 'OrdersProjectionFunction' });
 *   await eddy.put('OrdersTable', { orderId: 'o1', customerId: 'c1', total: 10 });
 *   await run.settled();
 *   expect(await eddy.get('OrderViewTable', { orderId: 'o1' })).toMatchObject({ total: 10 });
 * });
 *
 * @packageDocumentation
 */
export { ManualClock } from '../../src/time/clock.js';
export type {
  HandlerRun,
  Invocation,
  RunHandlerOptions,
  SettleOptions,
  TestHandler,
} from './runHandler.js';
export type { TestClientConfig, TestEmulator, TestEmulatorOptions } from './startTestEmulator.js';
export { startTestEmulator } from './startTestEmulator.js';
export type {
  RecordTime,
  StreamRecordFactory,
  StreamRecordFactoryOptions,
  TestItem,
  TumblingWindowEventFields,
  WindowEventFields,
} from './streamRecordFactory.js';
export { dynamoDBStreamEvent, streamRecordFactory, tumblingWindowEvent } from './streamRecordFactory.js';
export type { TapeOfOptions } from './tapeOf.js';
export { tapeOf } from './tapeOf.js';
