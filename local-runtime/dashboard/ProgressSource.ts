/**
 * How far a long-running job (a bootstrap, a replay, a redrive) has come, as the dashboard shows it.
 *
 * @example
 * const progress: JobProgress = { state: 'running', done: 1200, total: 5000, unit: 'items', detail: 'scan segment 3 of 8' };
 */
interface JobProgress {
  readonly state: 'running' | 'done' | 'failed';
  readonly done: number;
  /** Unknown while the job cannot tell (a live stream's end). */
  readonly total?: number;
  /** What `done` counts: `records`, `items`, `ranges`. */
  readonly unit: string;
  readonly detail?: string;
  /**
   * Other counts of the job, by what they count, in the order to show them: `{ 'items scanned': 1200,
   * 'rows emitted': 1180, 'stream lag (ms)': 40 }`.
   */
  readonly figures?: Readonly<Record<string, number>>;
}

/**
 * A job that reports its progress to the dashboard: the dev runner registers one for each bootstrap or replay
 * it runs (`DashboardRegistry.addProgress`); the page reads `progress()` when it refreshes, so reporting costs
 * nothing while nobody watches.
 *
 * @example
 * registry.addProgress({ name: 'OrdersView bootstrap', kind: 'bootstrap', progress: () => ({ state: 'running', done, unit: 'items' }) });
 */
interface ProgressSource {
  readonly name: string;
  readonly kind: 'bootstrap' | 'replay' | 'redrive';
  progress(): JobProgress;
}

export type { JobProgress, ProgressSource };
