import type { JobReport } from './JobReport.js';

/** A reported job as the dashboard shows it: its last report, when it came, and how long it has been silent. */
interface ReportedJobView extends JobReport {
  readonly startedAt: number;
  readonly reportedAt: number;
  /** Time since its last report: a running job silent for long has likely ended without saying so. */
  readonly silentForMs: number;
}

/**
 * Jobs kept, newest reports first: a dashboard open all day sees the last runs, not every one. When a new job
 * would make more, the oldest finished one goes (or, when all are running, the one silent longest).
 */
const MAX_REPORTED_JOBS = 20;

/**
 * The jobs other processes report to the dashboard (`JobReport`, `POST /_eddy/api/progress`), by id: each report
 * replaces the job's previous one. At most `MAX_REPORTED_JOBS` are kept, so a long `eddy dev` session holds a
 * fixed amount whatever number of commands reported to it. Time is given by the caller.
 *
 * @example
 * const jobs = new ReportedJobs();
 * jobs.report({ id: 'a', name: 'replay orders', kind: 'replay', state: 'running', done: 10, unit: 'records' }, Date.now());
 * jobs.views(Date.now()); // [{ id: 'a', …, silentForMs: 0 }]
 */
class ReportedJobs {
  readonly #jobs = new Map<string, { report: JobReport; startedAt: number; reportedAt: number }>();

  report(report: JobReport, now: number): void {
    const known = this.#jobs.get(report.id);
    this.#jobs.delete(report.id);
    this.#jobs.set(report.id, { report, startedAt: known?.startedAt ?? now, reportedAt: now });
    while (this.#jobs.size > MAX_REPORTED_JOBS) this.#jobs.delete(this.#leastWanted() as string);
  }

  /** The jobs, the most recently reported first. */
  views(now: number): ReportedJobView[] {
    return [...this.#jobs.values()].reverse().map(({ report, startedAt, reportedAt }) => ({
      ...report,
      startedAt,
      reportedAt,
      silentForMs: Math.max(0, now - reportedAt),
    }));
  }

  get size(): number {
    return this.#jobs.size;
  }

  /** The oldest finished job, else the one silent longest (the map is in order of last report). */
  #leastWanted(): string | undefined {
    for (const [id, { report }] of this.#jobs) if (report.state !== 'running') return id;
    return this.#jobs.keys().next().value;
  }
}

export type { ReportedJobView };
export { MAX_REPORTED_JOBS, ReportedJobs };
