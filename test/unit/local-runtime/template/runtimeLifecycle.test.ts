import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NODE_RUNTIMES,
  runtimeLifecycleWarning,
} from '../../../../local-runtime/template/runtimeLifecycle.js';

type CfnLintDates = Record<string, { deprecated: string; 'create-block': string; 'update-block': string }>;

/** cfn-lint's runtime table, or undefined where cfn-lint (a Python package) is not installed. */
const cfnLintRuntimeLifecycle = (): CfnLintDates | undefined => {
  const found = spawnSync('python3', ['-c', 'import cfnlint, os; print(os.path.dirname(cfnlint.__file__))'], {
    encoding: 'utf8',
  });
  if (found.status !== 0) return undefined;
  const file = join(found.stdout.trim(), 'data', 'AdditionalSpecs', 'LmbdRuntimeLifecycle.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CfnLintDates;
  } catch {
    return undefined;
  }
};

// Dates from https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
describe('runtimeLifecycleWarning', () => {
  const at = (day: string) => Date.parse(day);

  it('says nothing about a supported runtime far from its deprecation', () => {
    expect(runtimeLifecycleWarning('nodejs22.x', at('2026-06-01'))).toBeUndefined();
    expect(runtimeLifecycleWarning('nodejs24.x', at('2026-12-06'))).toBeUndefined();
  });

  it('announces a deprecation within 180 days, with the dates', () => {
    expect(runtimeLifecycleWarning('nodejs22.x', at('2026-12-06'))).toBe(
      'nodejs22.x will be deprecated by AWS Lambda on 2027-04-30 (new functions blocked from 2027-06-01, ' +
        'updates from 2027-07-01): plan a move to nodejs24.x',
    );
  });

  it('says sam deploy fails once updates are blocked (nodejs20.x after 2026-07-01)', () => {
    expect(runtimeLifecycleWarning('nodejs20.x', at('2026-12-06'))).toBe(
      'nodejs20.x was deprecated by AWS Lambda on 2026-04-30; since 2026-06-01 new functions cannot use it and ' +
        'since 2026-07-01 existing ones cannot be updated, so sam deploy fails: use nodejs24.x',
    );
  });

  it('tells apart deprecated, create-blocked and update-blocked', () => {
    expect(runtimeLifecycleWarning('nodejs20.x', at('2026-05-10'))).toContain(
      'new functions are blocked from 2026-06-01',
    );
    expect(runtimeLifecycleWarning('nodejs20.x', at('2026-06-10'))).toContain(
      'since 2026-06-01 new functions cannot use it, and from 2026-07-01',
    );
  });

  it('gives the dates of every runtime Lambda has retired, back to the first one', () => {
    expect(runtimeLifecycleWarning('nodejs14.x', at('2026-06-10'))).toBe(
      'nodejs14.x was deprecated by AWS Lambda on 2023-12-04; since 2024-01-09 new functions cannot use it, and ' +
        'from 2026-07-01 existing ones cannot be updated: use nodejs24.x',
    );
    for (const runtime of ['nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs12.x'])
      expect(runtimeLifecycleWarning(runtime, at('2026-12-06'))).toMatch(
        new RegExp(
          `^${runtime} was deprecated by AWS Lambda on \\d{4}-\\d\\d-\\d\\d; .* so sam deploy fails`,
        ),
      );
  });

  it('calls an unknown name below nodejs16.x retired, and ignores newer names it does not know', () => {
    expect(runtimeLifecycleWarning('nodejs0.10', at('2026-12-06'))).toContain('retired');
    expect(runtimeLifecycleWarning('nodejs26.x', at('2026-12-06'))).toBeUndefined();
  });

  // cfn-lint's rule E2533 reads AWS's page into LmbdRuntimeLifecycle.json: where cfn-lint is installed (CI, these
  // machines), the two tables must agree, so a date AWS moves shows up here.
  const cfnLint = cfnLintRuntimeLifecycle();
  it.skipIf(cfnLint === undefined)('agrees with cfn-lint on every Node.js runtime and date', () => {
    const theirs = Object.fromEntries(
      Object.entries(cfnLint ?? {})
        .filter(([runtime]) => runtime.startsWith('nodejs'))
        .map(([runtime, dates]) => [
          runtime,
          {
            deprecated: dates.deprecated,
            createBlocked: dates['create-block'],
            updateBlocked: dates['update-block'],
          },
        ]),
    );
    expect(NODE_RUNTIMES).toEqual(theirs);
  });
});
