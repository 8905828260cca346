import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, it } from 'vitest';
import { fuzz } from '../helpers/bootstrapFuzz.js';
import {
  type DynamoDbLocal,
  skipWithoutDynamoDbLocal,
  startDynamoDbLocal,
} from '../helpers/dynamoDbLocal.js';
import { testRandom } from '../helpers/testRandom.js';

// The bootstrap with DynamoDB Local as the source: its own streams, sequence numbers and Scan segments. It stamps
// stream records to the minute, so the bootstrap waits about two minutes whatever the table's size.

const unavailable = skipWithoutDynamoDbLocal();

describe.skipIf(unavailable !== undefined)('bootstrap from DynamoDB Local', () => {
  let local: DynamoDbLocal | undefined;
  afterEach(async () => {
    await local?.close();
    local = undefined;
  });

  it('projection and aggregate equal a recomputation from a DynamoDB Local table (stream records stamped to the minute) written during the bootstrap', async () => {
    const { random } = testRandom(1515);
    local = await startDynamoDbLocal();
    const config = {
      endpoint: local.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    const dynamodb = new DynamoDBClient(config);
    const scanClient = new DynamoDBClient(config);
    const streams = new DynamoDBStreamsClient(config);
    try {
      // DynamoDB Local stamps stream records to the minute: every page waits a minute for its window, so few
      // and large pages.
      await fuzz({
        random,
        dynamodb,
        streams,
        scanClient,
        keys: 1000,
        granularity: 60,
        pageSize: 1000,
        settleMs: 150_000,
        writesPerTick: 1,
      });
    } finally {
      dynamodb.destroy();
      scanClient.destroy();
      streams.destroy();
    }
  }, 300_000);
});
