/**
 * `eddy/emulator`: DynamoDB and DynamoDB Streams on one local port, for development and tests. Point any AWS
 * SDK client at `endpoint`; `emulator.control` (or `ControlClient` over HTTP) moves its clock, rolls shards over
 * and injects faults; `wakeUps(streamArn)` lets an `EventSourceMapping` read new records at once.
 *
 * @packageDocumentation
 */

export { ControlClient, ControlRequestError } from './control/ControlClient.js';
export { ControlArgumentError } from './control/controlArguments.js';
export type { EmulatorControl, StreamTarget } from './control/EmulatorControl.js';
export type { FaultKind } from './control/FaultInjector.js';
export type { Emulator, EmulatorOptions, RecordListener } from './Emulator.js';
export { JournalDamageError } from './persistence/DataDir.js';
export type { EmulatorCredential } from './server/AccessKeys.js';
export type { PageAnswer, PageHandler, PageRequest } from './server/handlePageRequest.js';
export type { RunningEmulator, StartEmulatorOptions } from './startEmulator.js';
export { shardWakeUps, startEmulator } from './startEmulator.js';
export type { StreamSettings } from './streams/streamSettings.js';
export type { LoadedTape, TapeLoadOptions } from './tape/loadTapeInto.js';
export { TapeLoadError } from './tape/TapeLoadError.js';
