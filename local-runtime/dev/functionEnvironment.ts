import type { FunctionDefinition } from '../template/types.js';
import type { EndpointKind } from './endpointKind.js';

interface FunctionEnvironmentInput {
  /** The environment `eddy dev` runs in (`process.env`): the functions inherit it, as the CLI's children would. */
  readonly inherited: Readonly<Record<string, string | undefined>>;
  readonly fn: Pick<FunctionDefinition, 'functionName' | 'memorySize' | 'runtime' | 'environment'>;
  /** The region of the mapping that invokes this copy of the function. */
  readonly region: string;
  /** The endpoint `eddy dev` reads the streams from, and what kind it is. */
  readonly endpoint: { readonly url: string; readonly kind: EndpointKind };
  /**
   * Keys the functions sign with, when eddy chose them (the embedded emulator's, or dummy ones for an endpoint
   * that accepts any while the user has none). Undefined: the functions resolve their own, as the SDK does.
   */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
}

/**
 * The SDK's endpoint variables of the two services the functions and eddy use, from
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html: `AWS_ENDPOINT_URL_<SERVICE ID>`
 * (the service id upper-cased, spaces as underscores) beats `AWS_ENDPOINT_URL`, which beats the shared config
 * file.
 */
const DYNAMODB_ENDPOINT = 'AWS_ENDPOINT_URL_DYNAMODB';
const STREAMS_ENDPOINT = 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS';
/** Set to true, the SDK ignores every configured endpoint (same page): it would undo ours. */
const IGNORE_ENDPOINTS = 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS';

/**
 * The environment variables of one function's execution environment under `eddy dev`, in three layers, each
 * winning over the one before:
 * 1. what `eddy dev` inherited (so the user's `AWS_PROFILE`, proxies, `NODE_OPTIONS` reach the function);
 * 2. Lambda's reserved variables (`AWS_REGION`, `AWS_DEFAULT_REGION`, `AWS_LAMBDA_FUNCTION_NAME`, …, from
 *    https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 *    the region being the mapping's, and where the endpoint is not AWS the endpoint and credentials:
 *    - the embedded emulator: `AWS_ENDPOINT_URL` (every client of the function reaches it, whatever its
 *      service) and its keys; inherited `AWS_ENDPOINT_URL*` variables are dropped, since a service-specific
 *      one would beat ours;
 *    - another endpoint (DynamoDB Local, LocalStack): `AWS_ENDPOINT_URL_DYNAMODB` and
 *      `AWS_ENDPOINT_URL_DYNAMODB_STREAMS` only, so the user's endpoints for other services (an SQS emulator)
 *      still apply, and dummy keys when the user has none;
 *    - AWS itself: nothing beyond the region; the SDK resolves endpoints and credentials as on any machine;
 * 3. the template's own `Environment.Variables`, which win even over ours: a function that sets
 *    `AWS_ENDPOINT_URL_DYNAMODB` itself keeps it (on Lambda, the reserved names cannot be set, and
 *    CloudFormation refuses such a template before eddy would see the difference).
 *
 * @example
 * functionEnvironment({
 *   inherited: process.env,
 *   fn: { functionName: 'app-Projection', memorySize: 256, runtime: 'nodejs24.x', environment: {} },
 *   region: 'us-east-1',
 *   endpoint: { url: 'http://localhost:8000', kind: 'other' },
 *   credentials: { accessKeyId: 'eddy', secretAccessKey: 'eddy' },
 * });
 * // { …process.env, AWS_REGION: 'us-east-1', …, AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:8000',
 * //   AWS_ENDPOINT_URL_DYNAMODB_STREAMS: 'http://localhost:8000', AWS_ACCESS_KEY_ID: 'eddy', … }
 */
const functionEnvironment = (input: FunctionEnvironmentInput): Record<string, string> => {
  const { fn, region, endpoint, credentials } = input;
  const dropped = (name: string): boolean => {
    switch (endpoint.kind) {
      case 'embedded':
        return name.startsWith('AWS_ENDPOINT_URL') || name === IGNORE_ENDPOINTS;
      case 'other':
        return name === IGNORE_ENDPOINTS;
      case 'aws':
        return false;
    }
  };
  const inherited = Object.fromEntries(
    Object.entries(input.inherited).filter(
      (e): e is [string, string] => e[1] !== undefined && !dropped(e[0]),
    ),
  );
  const keys: Record<string, string> =
    credentials === undefined || endpoint.kind === 'aws'
      ? {}
      : {
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        };
  // A session token left over from the user's own keys would be sent with ours and make no sense.
  if (Object.keys(keys).length > 0) delete inherited.AWS_SESSION_TOKEN;
  const endpoints: Record<string, string> =
    endpoint.kind === 'embedded'
      ? { AWS_ENDPOINT_URL: endpoint.url }
      : endpoint.kind === 'other'
        ? { [DYNAMODB_ENDPOINT]: endpoint.url, [STREAMS_ENDPOINT]: endpoint.url }
        : {};
  return {
    ...inherited,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    ...endpoints,
    ...keys,
    ...fn.environment,
  };
};

export type { FunctionEnvironmentInput };
export { functionEnvironment };
