import { describe, expect, it } from 'vitest';
import { type JobReport, parseJobReport } from '../../../../local-runtime/dashboard/JobReport.js';
import { MAX_REPORTED_JOBS, ReportedJobs } from '../../../../local-runtime/dashboard/ReportedJobs.js';

const report = (id: string, state: JobReport['state'] = 'running', done = 0): JobReport => ({
  id,
  name: `replay ${id}`,
  kind: 'replay',
  state,
  done,
  total: 10,
  unit: 'records',
});

describe(ReportedJobs.name, () => {
  it("keeps each job's last report, the most recent first, with how long it has been silent", () => {
    const jobs = new ReportedJobs();
    jobs.report(report('a', 'running', 1), 1000);
    jobs.report(report('b', 'running', 2), 2000);
    jobs.report(report('a', 'done', 10), 3000);
    const views = jobs.views(3500);
    expect(views.map((v) => [v.id, v.state, v.done, v.startedAt, v.reportedAt, v.silentForMs])).toEqual([
      ['a', 'done', 10, 1000, 3000, 500],
      ['b', 'running', 2, 2000, 2000, 1500],
    ]);
  });

  it(`keeps at most ${MAX_REPORTED_JOBS} jobs, dropping finished ones first, however many commands reported`, () => {
    const jobs = new ReportedJobs();
    jobs.report(report('still-running'), 0);
    for (let i = 0; i < 500; i++) jobs.report(report(`done-${i}`, 'done'), i + 1);
    expect(jobs.size).toBe(MAX_REPORTED_JOBS);
    const ids = jobs.views(1000).map((v) => v.id);
    expect(ids).toContain('still-running');
    expect(ids).toContain('done-499');
    expect(ids).not.toContain('done-0');
  });

  it('drops the job silent longest when every kept job is running', () => {
    const jobs = new ReportedJobs();
    for (let i = 0; i <= MAX_REPORTED_JOBS; i++) jobs.report(report(`r-${i}`), i);
    expect(jobs.views(100).map((v) => v.id)).not.toContain('r-0');
    expect(jobs.size).toBe(MAX_REPORTED_JOBS);
  });
});

describe(parseJobReport.name, () => {
  it('takes a report with its optional total, detail and figures', () => {
    const body = { ...report('a'), detail: 'segment 2', figures: { 'items scanned': 5 } };
    expect(parseJobReport(body)).toEqual(body);
  });

  it.each([
    [null, 'the body must be a JSON object'],
    [{ ...report('a'), id: '' }, 'id must be a string of 1 to 100 characters'],
    [{ ...report('a'), kind: 'backup' }, 'kind must be one of bootstrap, replay, redrive'],
    [{ ...report('a'), state: 'paused' }, 'state must be one of running, done, failed'],
    [{ ...report('a'), done: -1 }, 'done must be a number from 0'],
    [{ ...report('a'), total: 'many' }, 'total must be a number from 0'],
    [{ ...report('a'), figures: { rows: Number.NaN } }, 'figures.rows must be a number from 0'],
    [
      { ...report('a'), figures: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, i])) },
      'figures holds at most 20 counts',
    ],
  ])('refuses %j: %s', (body, problem) => {
    const parsed = parseJobReport(body);
    expect(parsed).toHaveProperty('problem');
    expect((parsed as { problem: string }).problem).toContain(problem);
  });
});
