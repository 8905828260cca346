import { Emulator, type EmulatorOptions } from './Emulator.js';
import { listen } from './server/httpServer.js';

interface StartEmulatorOptions extends EmulatorOptions {
  /** @default '127.0.0.1' — the emulator is for this machine unless told otherwise. */
  readonly host?: string;
  /** @default 8000; 0 picks a free port. */
  readonly port?: number;
}

interface RunningEmulator {
  /** Where AWS clients point: `http://127.0.0.1:8000`. */
  readonly endpoint: string;
  readonly emulator: Emulator;
  close(): Promise<void>;
}

/**
 * Starts the DynamoDB + DynamoDB Streams emulator on one port.
 *
 * @example
 * const { endpoint, close } = await startEmulator({ port: 0 });
 * const client = new DynamoDBClient({ endpoint, region: 'us-east-1' });
 */
const startEmulator = async (options: StartEmulatorOptions = {}): Promise<RunningEmulator> => {
  const emulator = new Emulator(options);
  const { server, endpoint } = await listen(emulator, options.host ?? '127.0.0.1', options.port ?? 8000);
  return {
    endpoint,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};

export type { RunningEmulator, StartEmulatorOptions };
export { startEmulator };
