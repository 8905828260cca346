// The tape format and its readers and writers, exported from `eddy/runtime` (src/runtime/index.ts).
export type { LambdaEventImportOptions } from './lambdaEvent.js';
export { tapeFromLambdaEvent, tapeToLambdaEvent } from './lambdaEvent.js';
export { loadTape, readTape } from './readTape.js';
export type { RecordFrom, RecordUntil } from './recordPositions.js';
export { parseRecordFrom, parseRecordUntil } from './recordPositions.js';
export type { RecordProgress, RecordStreamOptions, RecordSummary } from './recordStream.js';
export { recordStream } from './recordStream.js';
export { TapeFormatError } from './TapeFormatError.js';
export type { TapeHeaderFields, TapeTarget } from './TapeWriter.js';
export { TapeWriter } from './TapeWriter.js';
export type {
  Tape,
  TapeEnd,
  TapeHeader,
  TapeKeySchemaElement,
  TapeLine,
  TapeRecord,
  TapeRecording,
  TapeShard,
} from './tapeFormat.js';
export { TAPE_FORMAT, TAPE_VERSION } from './tapeFormat.js';
export { TAPE_JSON_SCHEMA } from './tapeSchema.js';
export { writeTape } from './writeTape.js';
