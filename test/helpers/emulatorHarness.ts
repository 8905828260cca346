import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import {
  type RunningEmulator,
  type StartEmulatorOptions,
  startEmulator,
} from '../../local-runtime/emulator/startEmulator.js';

interface EmulatorHarness {
  readonly running: RunningEmulator;
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  /** Clients for another region of the same emulator. */
  clientsFor(region: string): { dynamodb: DynamoDBClient; streams: DynamoDBStreamsClient };
  close(): Promise<void>;
}

/** The emulator on a free port with real SDK v3 clients pointed at it over HTTP. */
const startHarness = async (options: StartEmulatorOptions = {}): Promise<EmulatorHarness> => {
  const running = await startEmulator({ port: 0, ...options });
  const made: { destroy(): void }[] = [];
  const clientsFor = (region: string) => {
    const config = {
      endpoint: running.endpoint,
      region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    const clients = { dynamodb: new DynamoDBClient(config), streams: new DynamoDBStreamsClient(config) };
    made.push(clients.dynamodb, clients.streams);
    return clients;
  };
  const { dynamodb, streams } = clientsFor('us-east-1');
  return {
    running,
    dynamodb,
    streams,
    clientsFor,
    close: async () => {
      for (const client of made) client.destroy();
      await running.close();
    },
  };
};

export type { EmulatorHarness };
export { startHarness };
