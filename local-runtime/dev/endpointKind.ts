/**
 * Where `eddy dev` reads streams and where the functions' own clients go:
 * - `embedded`: eddy's own emulator (no `--endpoint`);
 * - `aws`: an AWS service endpoint given with `--endpoint` (regional, FIPS, dual-stack or China); eddy then
 *   changes nothing the SDK would resolve by itself (endpoints, credentials) and never creates a table;
 * - `other`: any other URL (DynamoDB Local, LocalStack, an emulator in a container): it gets the embedded
 *   emulator's treatment (tables created from the template, failure files, dummy credentials if none).
 */
type EndpointKind = 'embedded' | 'aws' | 'other';

/**
 * Host names of AWS service endpoints: `*.amazonaws.com` (regional and FIPS), `*.api.aws` (dual-stack) and
 * `*.amazonaws.com.cn` (China), as listed in https://docs.aws.amazon.com/general/latest/gr/ddb.html.
 */
const AWS_HOST = /(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/i;

/**
 * Which kind of endpoint `--endpoint` names (`undefined`: none given, the embedded emulator). A value that is
 * not an http(s) URL is an error in the option's terms.
 *
 * @example
 * endpointKind('http://localhost:8000'); // 'other'
 * endpointKind('https://dynamodb.eu-west-1.amazonaws.com'); // 'aws'
 */
const endpointKind = (endpoint: string | undefined): EndpointKind => {
  if (endpoint === undefined) return 'embedded';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`eddy dev: --endpoint ${endpoint} is not a URL (e.g. http://localhost:8000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(
      `eddy dev: --endpoint ${endpoint} must be an http:// or https:// URL (e.g. http://localhost:8000)`,
    );
  }
  return AWS_HOST.test(url.hostname) ? 'aws' : 'other';
};

export type { EndpointKind };
export { endpointKind };
