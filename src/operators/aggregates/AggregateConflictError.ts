/**
 * A batch's writes lost the race for their rows to concurrent writers (other lanes, shards or duplicate
 * invocations) every time they were tried. Its records fail and are delivered again, which is safe: they were
 * not applied. Hot aggregate keys with measures that are read before written (min, max, reducers) contend most;
 * count and sum do not read.
 *
 * Raised by `aggregate`, `aggregateEvents` and `windowedAggregate` (whose final invocation of the window then
 * fails and is retried with the window's state) after 10 writes, each read again after a backoff on the
 * operator's `clock`; `operator` says which, `attempts` how many writes were tried.
 *
 * @example
 * defineStreamHandler(aggregate({ … }), {
 *   onRecordError: (error) => {
 *     if (error instanceof AggregateConflictError) metrics.addMetric('aggregateConflicts', 'Count', 1);
 *   },
 * })
 */
class AggregateConflictError extends Error {
  readonly attempts: number;
  readonly operator: string;

  constructor(attempts: number, cause: unknown, operator = 'aggregate') {
    super(
      operator === 'windowedAggregate'
        ? `${operator}: concurrent writers (other shards, duplicate invocations) changed the window's row ` +
            `${attempts} times in a row; the window's final invocation fails and will be retried`
        : `${operator}: concurrent writers changed the rows of this batch's aggregate keys or ledger ${attempts} ` +
            'times in a row; its records fail and will be delivered again',
      { cause },
    );
    this.name = 'AggregateConflictError';
    this.attempts = attempts;
    this.operator = operator;
  }
}

export { AggregateConflictError };
