import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface AccessKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * The user's own AWS credentials as the SDK's default chain finds them (environment, shared files, SSO,
 * process, container or instance roles: https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html),
 * or undefined when there are none. The functions run on the same machine with the same environment, so they
 * find the same ones; only the absence matters to `eddy dev`, which then gives both its own clients and the
 * functions dummy keys for an endpoint that accepts any (DynamoDB Local keys its databases by access key and
 * region unless started with -sharedDb, so both must sign with the same key).
 */
const userCredentials = async (region: string): Promise<AccessKeys | undefined> => {
  const client = new DynamoDBClient({ region });
  try {
    const { accessKeyId, secretAccessKey } = await client.config.credentials();
    return { accessKeyId, secretAccessKey };
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
};

export { userCredentials };
