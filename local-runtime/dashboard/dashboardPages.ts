import { readFailedRange } from '../../src/redrive/readFailedRange.js';
import { systemClock } from '../../src/time/clock.js';
import type { Emulator } from '../emulator/Emulator.js';
import { AwsServiceError } from '../emulator/errors.js';
import { requestId } from '../emulator/server/awsJsonProtocol.js';
import type { PageAnswer, PageHandler, PageRequest } from '../emulator/server/handlePageRequest.js';
import { DashboardRegistry } from './DashboardRegistry.js';
import { dashboardScript } from './dashboardBundle.js';
import { emulatorControlView, emulatorRegions } from './emulatorState.js';
import { failuresView, findFailure, type RedriveResult } from './failuresView.js';
import { parseJobReport } from './JobReport.js';
import { mappingsView } from './mappingsView.js';
import { redriveFailure } from './redriveFailure.js';
import { tableItems } from './tableItems.js';

/** The dashboard's address on an emulator's endpoint. */
const DASHBOARD_PATH = '/_eddy/';

/**
 * The page: the script draws everything. The policy keeps the page to its own script (no inline script, no
 * other origin: it works offline), and no other site may frame it (its buttons act on the emulator).
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eddy dashboard</title>
</head>
<body>
<div id="app"><p>Loading the eddy dashboard…</p></div>
<script src="${DASHBOARD_PATH}dashboard.js"></script>
</body>
</html>
`;

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

const json = (statusCode: number, payload: unknown): PageAnswer => ({
  statusCode,
  headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
  body: JSON.stringify(payload),
});

/**
 * An error answer in DynamoDB's shape (`__type`, `message`, a request id), as every error of the emulator is,
 * so a client that reads AWS errors reads these too.
 */
const problem = (statusCode: number, message: string, name = 'ValidationException'): PageAnswer => {
  const answer = json(statusCode, { __type: `com.amazon.coral.service#${name}`, message });
  return { ...answer, headers: { ...answer.headers, 'x-amzn-RequestId': requestId() } };
};

/** A JSON query parameter (a page's start key); undefined when absent, an error message when not JSON. */
const jsonParameter = (value: string | null): Record<string, unknown> | undefined | string => {
  if (value === null || value === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      return 'must be a JSON object';
    return parsed as Record<string, unknown>;
  } catch {
    return 'must be a JSON object';
  }
};

/**
 * The dashboard at `/_eddy/` (see README, "The dashboard"): the page, its script, and a JSON API the page polls
 * once a second (`/_eddy/api/state`: tables, streams and shards, mappings, failures, progress, clock and faults),
 * pages of items (`/_eddy/api/items`), a failed batch's records (`/_eddy/api/failure-records`) and the redrive
 * of one on-failure record (`POST /_eddy/api/redrive`), and the progress reports of jobs other processes run
 * (`POST /_eddy/api/progress`, a `JobReport`: what `eddy bootstrap`, `replay` and `redrive` send). The control actions are the emulator's own
 * `/_eddy/control/<action>`. Give it to `startEmulator`'s `pages`; it is reached only through the emulator's
 * guards (loopback origins and Host names; with `requireSignature`, nothing unsigned, so no browser).
 *
 * @param registry - what `eddy dev` registers (mappings, jobs); `eddy emulator` passes none
 * @example
 * const registry = new DashboardRegistry();
 * const running = await startEmulator({ port: 0, pages: dashboardPages(registry) });
 * console.log(`dashboard: ${running.endpoint}${DASHBOARD_PATH}`);
 */
const dashboardPages = (registry?: DashboardRegistry): PageHandler => {
  const dev = registry !== undefined;
  const known = registry ?? new DashboardRegistry();
  const redriven = new Map<string, RedriveResult>();
  const routes: Record<string, (request: PageRequest, url: URL, emulator: Emulator) => Promise<PageAnswer>> =
    {
      'GET /_eddy/': async () => ({
        statusCode: 200,
        headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' },
        body: PAGE,
      }),
      'GET /_eddy/dashboard.js': async () => ({
        statusCode: 200,
        headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' },
        body: await dashboardScript(),
      }),
      // `?history=1` adds the mappings' lag samples (the page asks while it shows the mappings).
      'GET /_eddy/api/state': async (_request, url, emulator) =>
        json(200, {
          dev,
          control: emulatorControlView(emulator),
          regions: emulatorRegions(emulator),
          mappings: mappingsView(known, { withHistory: url.searchParams.get('history') === '1' }),
          failures: await failuresView(known, redriven),
          progress: [
            ...known.progressSources.map((source) => ({
              name: source.name,
              kind: source.kind,
              ...source.progress(),
            })),
            ...known.reportedJobs,
          ],
        }),
      // A job of another process (eddy bootstrap, replay, redrive) reports its progress: see JobReport.
      'POST /_eddy/api/progress': async (request) => {
        let body: unknown;
        try {
          body = JSON.parse(request.body.toString('utf8'));
        } catch {
          return problem(400, 'progress: the body must be a JSON object', 'SerializationException');
        }
        const report = parseJobReport(body);
        if ('problem' in report) return problem(400, report.problem);
        known.reportJob(report);
        return json(200, {});
      },
      'GET /_eddy/api/items': async (_request, url, emulator) => {
        const region = url.searchParams.get('region');
        const tableName = url.searchParams.get('table');
        if (region === null || tableName === null) return problem(400, 'items: give region and table');
        const startKey = jsonParameter(url.searchParams.get('start'));
        if (typeof startKey === 'string') return problem(400, `items: start ${startKey}`);
        const accountId = url.searchParams.get('account');
        const partitionKey = url.searchParams.get('key');
        try {
          return json(
            200,
            tableItems(emulator, {
              region,
              tableName,
              limit: Number(url.searchParams.get('limit') ?? 25) || 25,
              ...(accountId === null ? {} : { accountId }),
              ...(startKey === undefined ? {} : { startKey }),
              ...(partitionKey === null ? {} : { partitionKey }),
            }),
          );
        } catch (error) {
          if (error instanceof AwsServiceError) {
            return {
              ...problem(error.statusCode, ''),
              body: JSON.stringify({
                ...error.toBody(),
                message: `table ${tableName} in ${region}: ${error.message}`,
              }),
            };
          }
          throw error;
        }
      },
      'GET /_eddy/api/failure-records': async (_request, url) => {
        const id = url.searchParams.get('id') ?? '';
        const found = await findFailure(known, id);
        if ('problem' in found) return problem(404, found.problem, 'ResourceNotFoundException');
        const mapping = known.mapping(found.mappingId);
        if (mapping === undefined) {
          return problem(404, `no mapping ${found.mappingId}`, 'ResourceNotFoundException');
        }
        const read = await readFailedRange(mapping.streams, found.range, { clock: systemClock });
        return json(200, read);
      },
      'POST /_eddy/api/redrive': async (request) => {
        let id: unknown;
        try {
          id = (JSON.parse(request.body.toString('utf8')) as { id?: unknown }).id;
        } catch {
          return problem(400, 'redrive: the body must be {"id": "<file>:<line>"}');
        }
        if (typeof id !== 'string') return problem(400, 'redrive: the body must be {"id": "<file>:<line>"}');
        const result = await redriveFailure(known, id);
        redriven.set(id, result);
        // The redrive ran, whatever it found: its result (ok or not, and why) is the answer.
        return json(200, result);
      },
    };
  return async (request, emulator) => {
    const url = new URL(request.url, 'http://localhost');
    const route = routes[`${request.method} ${url.pathname}`];
    if (route === undefined) {
      return problem(
        404,
        `no dashboard page ${request.method} ${url.pathname}; the dashboard is at ${DASHBOARD_PATH}`,
        'UnknownOperationException',
      );
    }
    try {
      return await route(request, url, emulator);
    } catch (error) {
      console.error(`eddy dashboard: ${request.method} ${url.pathname} failed:`, error);
      return problem(
        500,
        `${request.method} ${url.pathname} failed: ${(error as Error).message}`,
        'InternalServerError',
      );
    }
  };
};

export { DASHBOARD_PATH, dashboardPages };
