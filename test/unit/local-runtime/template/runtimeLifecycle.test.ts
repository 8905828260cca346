import { describe, expect, it } from 'vitest';
import { runtimeLifecycleWarning } from '../../../../local-runtime/template/runtimeLifecycle.js';

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

  it('calls runtimes older than the table retired, and ignores what it does not know', () => {
    expect(runtimeLifecycleWarning('nodejs12.x', at('2026-12-06'))).toContain('retired');
    expect(runtimeLifecycleWarning('nodejs26.x', at('2026-12-06'))).toBeUndefined();
  });
});
