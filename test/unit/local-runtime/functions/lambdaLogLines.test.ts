import { describe, expect, it } from 'vitest';
import { endLine, reportLine, startLine } from '../../../../local-runtime/functions/lambdaLogLines.js';

// The format of https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html (its example log).
describe("Lambda's invocation log lines", () => {
  it('START and END name the request, START the version', () => {
    expect(startLine('c793869b-ee49-115b-a5b6-4fd21e8dedac')).toBe(
      'START RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac Version: $LATEST',
    );
    expect(endLine('c793869b-ee49-115b-a5b6-4fd21e8dedac')).toBe(
      'END RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac',
    );
  });

  it('REPORT has tab-separated fields, the duration with two decimals and the billed duration in whole ms', () => {
    expect(
      reportLine({ requestId: 'r-1', durationMs: 170.191, memorySizeMB: 128, maxMemoryUsedMB: 73 }),
    ).toBe(
      'REPORT RequestId: r-1\tDuration: 170.19 ms\tBilled Duration: 171 ms\tMemory Size: 128 MB\tMax Memory Used: 73 MB',
    );
  });

  it('a cold start adds Init Duration, billed with the invocation; a timeout its status', () => {
    expect(
      reportLine({
        requestId: 'r-2',
        durationMs: 2.05,
        memorySizeMB: 256,
        maxMemoryUsedMB: 60,
        initDurationMs: 261.891,
      }),
    ).toBe(
      'REPORT RequestId: r-2\tDuration: 2.05 ms\tBilled Duration: 264 ms\tMemory Size: 256 MB\tMax Memory Used: 60 MB\tInit Duration: 261.89 ms',
    );
    expect(
      reportLine({
        requestId: 'r-3',
        durationMs: 3000,
        memorySizeMB: 128,
        maxMemoryUsedMB: 9,
        status: 'timeout',
      }),
    ).toMatch(/\tBilled Duration: 3000 ms\t.*\tStatus: timeout$/);
  });
});
