import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { endpointKind } from '../dev/endpointKind.js';
import { endpointProblem } from '../dev/endpointProblem.js';
import { userCredentials } from '../dev/userCredentials.js';
import { EXIT_CODES } from './exitCodes.js';

/**
 * An error that ends an `eddy` command with a message in the user's terms and a given exit code (see
 * EXIT_CODES), printed as it is.
 */
class CommandError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CommandError';
    this.exitCode = exitCode;
  }
}

/** The flags every command that talks to DynamoDB shares. */
interface EndpointFlags {
  readonly endpoint?: string;
  readonly region?: string;
}

interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly region: string;
  destroy(): void;
}

/** Keys for an endpoint that accepts any (DynamoDB Local, the emulator), when the user has none: as eddy dev. */
const DUMMY_CREDENTIALS = { accessKeyId: 'eddy', secretAccessKey: 'eddy' };

/**
 * DynamoDB and Streams clients for `--endpoint` (AWS when absent, with the SDK's usual credential chain) in
 * `--region` (else `fallbackRegion`, e.g. the region of a stream ARN, else the SDK's own: AWS_REGION, the
 * profile). At an endpoint that is not AWS and without credentials, dummy keys sign, as `eddy dev` does.
 */
const awsClients = async (
  command: string,
  flags: EndpointFlags,
  fallbackRegion?: string,
): Promise<AwsClients> => {
  let kind: ReturnType<typeof endpointKind>;
  try {
    kind = endpointKind(flags.endpoint);
  } catch (error) {
    throw new CommandError((error as Error).message.replace(/^eddy dev:/, `${command}:`), EXIT_CODES.usage);
  }
  let region = flags.region ?? fallbackRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (region === undefined) {
    const probe = new DynamoDBClient({});
    region = await probe.config.region().catch(() => undefined);
    probe.destroy();
  }
  if (region === undefined || region === '') {
    if (flags.endpoint === undefined)
      throw new CommandError(
        `${command}: no region: pass --region R (or set AWS_REGION, or a region in your AWS profile)`,
        EXIT_CODES.usage,
      );
    region = 'us-east-1';
  }
  const credentials =
    kind === 'other' && (await userCredentials(region)) === undefined ? DUMMY_CREDENTIALS : undefined;
  const config = {
    region,
    ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
  };
  const dynamodb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  return {
    dynamodb,
    streams,
    region,
    destroy: () => {
      dynamodb.destroy();
      streams.destroy();
    },
  };
};

/**
 * A failed request in the command's terms: nothing answers at the endpoint, no credentials, a missing table or
 * stream; undefined for anything else.
 */
const requestProblem = (
  command: string,
  error: unknown,
  flags: EndpointFlags,
  what: string,
): CommandError | undefined => {
  const at = flags.endpoint ?? 'AWS';
  const problem = endpointProblem(error, at);
  // As eddy dev: an endpoint where nothing answers is a problem with the options (2).
  if (problem !== undefined)
    return new CommandError(problem.replace(/^eddy dev:/, `${command}:`), EXIT_CODES.usage);
  const name = (error as Error | undefined)?.name;
  if (name === 'ResourceNotFoundException')
    return new CommandError(`${command}: ${what} not found at ${at}`, EXIT_CODES.missingResource);
  if (name === 'CredentialsProviderError')
    return new CommandError(
      `${command}: no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
      EXIT_CODES.usage,
    );
  return undefined;
};

export type { AwsClients, EndpointFlags };
export { awsClients, CommandError, requestProblem };
