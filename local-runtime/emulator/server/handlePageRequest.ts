import type { Emulator } from '../Emulator.js';
import { AwsServiceError } from '../errors.js';
import { requestId } from './awsJsonProtocol.js';
import { identifyCaller, type RequestSecurity } from './identifyCaller.js';
import { RequestGuards } from './RequestGuards.js';
import { type HeaderValues, rawHeaderValues } from './sigv4/canonicalHeaders.js';

/** Pages the emulator serves besides the AWS protocol and the control surface (the dashboard): `/_eddy/…`. */
const PAGES_PREFIX = '/_eddy/';

/**
 * A request under `/_eddy/` that passed the emulator's guards, as a page handler sees it.
 *
 * @example
 * const pages: PageHandler = async (request) => ({ statusCode: 200, headers: {}, body: request.url });
 */
interface PageRequest {
  readonly method: string;
  /** `/_eddy/…` and its query, as sent. */
  readonly url: string;
  readonly headers: HeaderValues;
  readonly body: Buffer;
}

/**
 * A page handler's answer.
 *
 * @example
 * const answer: PageAnswer = { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' };
 */
interface PageAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/**
 * Serves `/_eddy/…` (outside `/_eddy/control/`): `startEmulator`'s `pages` option; `eddy emulator` and `eddy dev`
 * give the dashboard. Called only for requests the emulator's guards let through.
 *
 * @example
 * await startEmulator({ port: 0, pages: async (request, emulator) => ({ statusCode: 200, headers: {}, body: emulator.accountId }) });
 */
type PageHandler = (request: PageRequest, emulator: Emulator) => Promise<PageAnswer>;

const LOOPBACK_ONLY = new RequestGuards();

const refusal = (error: AwsServiceError): PageAnswer => ({
  statusCode: error.statusCode,
  headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId() },
  body: JSON.stringify(error.toBody()),
});

/**
 * The emulator's guards in front of its pages, as in front of the control surface (handleControlRequest): a
 * foreign `Host` or `Origin` gets 403; under `requireSignature` only a request with a valid SigV4 signature by a
 * known key reaches a page. A browser cannot sign its requests, so an emulator started with
 * `--require-signature` serves no dashboard to a browser: nothing there answers an unauthenticated caller.
 */
const handlePageRequest = async (
  emulator: Emulator,
  request: PageRequest,
  security: RequestSecurity,
  pages: PageHandler | undefined,
): Promise<PageAnswer> => {
  const refused = (security.guards ?? LOOPBACK_ONLY).check(
    request.headers.get('host')?.[0],
    request.headers.get('origin')?.[0],
  );
  if (refused !== undefined) return refusal(refused);
  if (security.requireSignature) {
    try {
      identifyCaller(request, security, { accountId: emulator.accountId, now: emulator.clock.now() });
    } catch (error) {
      if (error instanceof AwsServiceError) return refusal(error);
      throw error;
    }
  }
  if (pages === undefined) {
    return {
      statusCode: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: 'eddy emulator: no pages here (the dashboard is served by `eddy emulator` and `eddy dev`)\n',
    };
  }
  return pages(request, emulator);
};

/** The request's headers by lower-case name, as the page handler and the signature check read them. */
const pageHeaders = (rawHeaders: readonly string[]): HeaderValues => rawHeaderValues(rawHeaders);

export type { PageAnswer, PageHandler, PageRequest };
export { handlePageRequest, PAGES_PREFIX, pageHeaders };
