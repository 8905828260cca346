/**
 * When AWS Lambda retires each Node.js runtime: the deprecation date, the day new functions can no longer be
 * created with it and the day existing ones can no longer be updated (so `sam deploy` fails from then on).
 * From https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html ("Supported runtimes" and
 * "Deprecated runtimes"); cfn-lint's rule E2533 reads the same dates.
 */
interface RuntimeLifecycle {
  readonly deprecated: string;
  readonly createBlocked: string;
  readonly updateBlocked: string;
}

const NODE_RUNTIMES: Readonly<Record<string, RuntimeLifecycle>> = {
  nodejs: { deprecated: '2016-08-30', createBlocked: '2016-09-30', updateBlocked: '2016-10-31' },
  'nodejs4.3': { deprecated: '2020-03-05', createBlocked: '2020-02-03', updateBlocked: '2020-03-05' },
  'nodejs4.3-edge': { deprecated: '2020-03-05', createBlocked: '2019-03-31', updateBlocked: '2019-04-30' },
  'nodejs6.10': { deprecated: '2019-08-12', createBlocked: '2019-07-12', updateBlocked: '2019-08-12' },
  'nodejs8.10': { deprecated: '2020-03-06', createBlocked: '2020-02-04', updateBlocked: '2020-03-06' },
  'nodejs10.x': { deprecated: '2021-07-30', createBlocked: '2021-07-30', updateBlocked: '2022-02-14' },
  'nodejs12.x': { deprecated: '2023-03-31', createBlocked: '2023-03-31', updateBlocked: '2023-04-30' },
  'nodejs14.x': { deprecated: '2023-12-04', createBlocked: '2024-01-09', updateBlocked: '2026-07-01' },
  'nodejs16.x': { deprecated: '2024-06-12', createBlocked: '2026-06-01', updateBlocked: '2026-07-01' },
  'nodejs18.x': { deprecated: '2025-09-01', createBlocked: '2026-06-01', updateBlocked: '2026-07-01' },
  'nodejs20.x': { deprecated: '2026-04-30', createBlocked: '2026-06-01', updateBlocked: '2026-07-01' },
  'nodejs22.x': { deprecated: '2027-04-30', createBlocked: '2027-06-01', updateBlocked: '2027-07-01' },
  'nodejs24.x': { deprecated: '2028-04-30', createBlocked: '2028-06-01', updateBlocked: '2028-07-01' },
};

/** The newest Node.js runtime Lambda offers: what a warning suggests moving to. */
const NEWEST_NODE_RUNTIME = 'nodejs24.x';

/** How long before a deprecation `eddy dev` starts mentioning it (AWS emails account owners 180 days ahead). */
const NOTICE_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What to tell a user about a function's `Runtime` on a given day: undefined while the runtime is supported and
 * not about to be deprecated; otherwise one sentence with AWS's dates and the runtime to move to. The table has
 * every Node.js runtime Lambda has had; a name it does not know below nodejs16.x is called retired all the same.
 *
 * @example
 * runtimeLifecycleWarning('nodejs20.x', Date.parse('2026-12-06'));
 * // 'nodejs20.x was deprecated by AWS Lambda on 2026-04-30; since 2026-06-01 new functions cannot use it and
 * //  since 2026-07-01 existing ones cannot be updated, so sam deploy fails: use nodejs24.x'
 */
const runtimeLifecycleWarning = (runtime: string, now: number): string | undefined => {
  const lifecycle = NODE_RUNTIMES[runtime];
  if (lifecycle === undefined) {
    const version = /^nodejs(\d+)/.exec(runtime);
    if (version !== null && Number(version[1]) < 16) {
      return `${runtime} was retired by AWS Lambda years ago; sam deploy fails: use ${NEWEST_NODE_RUNTIME}`;
    }
    return undefined;
  }
  const deprecated = Date.parse(lifecycle.deprecated);
  if (now < deprecated - NOTICE_DAYS * DAY_MS) return undefined;
  if (now < deprecated) {
    return (
      `${runtime} will be deprecated by AWS Lambda on ${lifecycle.deprecated} (new functions blocked from ` +
      `${lifecycle.createBlocked}, updates from ${lifecycle.updateBlocked}): plan a move to ${NEWEST_NODE_RUNTIME}`
    );
  }
  const created = now >= Date.parse(lifecycle.createBlocked);
  const updated = now >= Date.parse(lifecycle.updateBlocked);
  const consequence = updated
    ? `since ${lifecycle.createBlocked} new functions cannot use it and since ${lifecycle.updateBlocked} existing ones cannot be updated, so sam deploy fails`
    : created
      ? `since ${lifecycle.createBlocked} new functions cannot use it, and from ${lifecycle.updateBlocked} existing ones cannot be updated`
      : `new functions are blocked from ${lifecycle.createBlocked}, updates from ${lifecycle.updateBlocked}`;
  return `${runtime} was deprecated by AWS Lambda on ${lifecycle.deprecated}; ${consequence}: use ${NEWEST_NODE_RUNTIME}`;
};

export type { RuntimeLifecycle };
export { NEWEST_NODE_RUNTIME, NODE_RUNTIMES, runtimeLifecycleWarning };
