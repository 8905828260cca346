import { randomUUID } from 'node:crypto';
import { type DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { JobReport } from '../dashboard/JobReport.js';
import type { JobProgress } from '../dashboard/ProgressSource.js';
import { EDDY_EMULATOR_HEADER } from '../emulator/server/eddyEmulatorHeader.js';
import { signRequest } from '../emulator/server/sigv4/signRequest.js';

/** The credentials an SDK client signs with, as its config resolves them. */
type Credentials = {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
};

/** The part of an SDK client's middleware stack `watch` uses: one deserialize-step middleware. */
interface MiddlewareStack {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
    options: { readonly step: 'deserialize'; readonly name: string },
  ): void;
}

interface DashboardReporterOptions {
  /** `--endpoint`: nothing is ever sent without one (AWS). */
  readonly endpoint: string | undefined;
  readonly name: string;
  readonly kind: JobReport['kind'];
  readonly region: string;
  /** What the command's clients sign with: a report to an emulator that requires signatures is signed too. */
  readonly credentials: () => Promise<Credentials>;
  /** Reports while running are sent at most this often. @default 1000 */
  readonly minIntervalMs?: number;
  /** How long the last report may take before the command goes on without it. @default 2000 */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

const PROGRESS_PATH = '/_eddy/api/progress';

/**
 * Reports a command's progress (`eddy bootstrap`, `eddy replay`, `eddy redrive`) to the dashboard of the Eddy
 * emulator it works against (`eddy dev`, `eddy emulator`), as `POST /_eddy/api/progress` (see `JobReport`).
 *
 * Only an endpoint known to be Eddy's gets anything: the command's own SDK clients are watched (`watch`) and
 * the first answer carrying the `x-eddy-emulator` header says so. Against DynamoDB Local or AWS nothing is sent.
 * A report never fails the command: one that cannot be delivered is dropped (the next one says the same and
 * more). Reports are signed with the command's credentials, so an emulator with `--require-signature` takes them.
 *
 * @example
 * const reporter = new DashboardReporter({ endpoint: flags.endpoint, name: 'replay orders', kind: 'replay', region, credentials: () => client.config.credentials() });
 * reporter.watch(clients.dynamodb);
 * reporter.update({ state: 'running', done: 10, total: 100, unit: 'records' });
 * await reporter.end({ state: 'done', done: 100, total: 100, unit: 'records' });
 */
class DashboardReporter {
  readonly #o: DashboardReporterOptions;
  readonly #id = randomUUID();
  readonly #now: () => number;
  #eddy = false;
  #lastSent = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<void> | undefined;
  #ended = false;

  constructor(options: DashboardReporterOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Watches a client's answers for the header that says the endpoint is an Eddy emulator. */
  watch(client: DynamoDBClient | DynamoDBStreamsClient): void {
    if (this.#o.endpoint === undefined) return;
    // Seen after the answer is read, whatever the operation: a structural view of the stack's `add`.
    (client.middlewareStack as unknown as MiddlewareStack).add(
      (next) => async (args) => {
        const out = (await next(args)) as { response?: { headers?: Record<string, string | undefined> } };
        if (out.response?.headers?.[EDDY_EMULATOR_HEADER] !== undefined) this.#eddy = true;
        return out;
      },
      { step: 'deserialize', name: 'eddyEmulatorHeader' },
    );
  }

  /**
   * For a command that may send nothing else through its clients before it reports (a tape replayed into
   * functions that write on their own): asks the endpoint one ordinary question (`ListTables`, one name) unless an
   * answer already said what it is. Never throws.
   */
  async identify(client: DynamoDBClient): Promise<void> {
    if (this.#eddy || this.#o.endpoint === undefined) return;
    await client.send(new ListTablesCommand({ Limit: 1 })).catch(() => undefined);
  }

  /** True once an answer said the endpoint is an Eddy emulator. */
  get reporting(): boolean {
    return this.#eddy && this.#o.endpoint !== undefined;
  }

  /** Reports the job's progress, at most once per `minIntervalMs` and one report at a time; others are dropped. */
  update(progress: JobProgress): void {
    if (!this.reporting || this.#ended || this.#inFlight !== undefined) return;
    if (this.#now() - this.#lastSent < (this.#o.minIntervalMs ?? 1000)) return;
    this.#lastSent = this.#now();
    const sent = this.#send(progress).finally(() => {
      this.#inFlight = undefined;
    });
    this.#inFlight = sent;
  }

  /** Reports how the job ended (done or failed), after any report in flight; resolves once it is delivered or given up. */
  async end(progress: JobProgress): Promise<void> {
    if (!this.reporting || this.#ended) return;
    this.#ended = true;
    await this.#inFlight;
    await this.#send(progress);
  }

  async #send(progress: JobProgress): Promise<void> {
    const report: JobReport = { ...progress, id: this.#id, name: this.#o.name, kind: this.#o.kind };
    const url = `${(this.#o.endpoint as string).replace(/\/+$/, '')}${PROGRESS_PATH}`;
    const body = JSON.stringify(report);
    try {
      const headers = signRequest({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        body,
        credentials: await this.#o.credentials(),
        region: this.#o.region,
        now: this.#now(),
      });
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.#o.timeoutMs ?? 2000),
      });
      await response.arrayBuffer();
    } catch {
      // The dashboard is a view: a report that does not arrive costs the command nothing.
    }
  }
}

export type { DashboardReporterOptions };
export { DashboardReporter };
