/**
 * `eddy/testing`, the test kit: an in-process emulator with a template's tables, builders of DynamoDB stream
 * records and Lambda events, and handler runs through a real event source mapping on a manual clock.
 * Development-time code: import it from tests, never from a handler.
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
