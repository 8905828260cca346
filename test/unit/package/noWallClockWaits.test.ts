import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The runtime's tests, and those of its users, synchronise on events (`waitFor` on an effect, a latch the test
 * opens, `mapping.started()`, `waitForIdle`) and on manual clocks, never on elapsed time: a sleep makes a test
 * slow where it passes and flaky where the machine is loaded, and "nothing happened in 300 ms" proves little.
 *
 * A wall-clock wait is allowed only where it is what the test is about (a process's real timer, such as a
 * Lambda function's Timeout in a worker thread), marked on its line or in the comment right above it with
 * `// wall-clock: <why>`.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The folders scanned, with what is left out and why. */
const SCANNED = [
  'test/unit',
  'test/integration',
  'test/conformance',
  'test/e2e',
  'test/property',
  'test/differential',
] as const;
/** The emulator's own tests time sockets and requests (not the runtime); helpers poll for effects (`waitFor`). */
const LEFT_OUT = ['test/integration/emulator'];
/** This file names the waits it looks for. */
const SELF = 'test/unit/package/noWallClockWaits.test.ts';

/** Calls that wait on the machine's clock. `clock.sleep(…)` on an injected clock is fine; `systemClock.sleep` is not. */
const WAITS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'setTimeout', pattern: /\bsetTimeout\s*\(/ },
  { name: 'setInterval', pattern: /\bsetInterval\s*\(/ },
  { name: 'timers/promises', pattern: /['"](node:)?timers\/promises['"]/ },
  { name: 'sleep()', pattern: /(^|[^.\w])sleep\s*\(|\bsystemClock\.sleep\s*\(/ },
  { name: 'pause()', pattern: /(^|[^.\w])pause\s*\(/ },
  { name: 'delay()', pattern: /(^|[^.\w])delay\s*\(\s*\d/ },
];

const OPT_OUT = /\/\/\s*wall-clock:\s*\S/;

const HINT =
  'these wait on wall-clock time: wait for an event instead (waitFor on an effect, a latch the test opens, ' +
  'mapping.started(), waitForIdle) or move a ManualClock; if the wall-clock wait is what the test is about, ' +
  'mark it "// wall-clock: <why>"';

const testFiles = (folder: string): string[] => {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(ROOT, path);
      if (LEFT_OUT.includes(rel) || rel === SELF) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts')) found.push(rel);
    }
  };
  walk(join(ROOT, folder));
  return found;
};

interface Finding {
  readonly at: string;
  readonly wait: string;
  readonly line: string;
  readonly optedOut: boolean;
}

/** Whether line `i` is marked: `// wall-clock: <why>` on it, or in the comment lines right above it. */
const markedAt = (lines: readonly string[], i: number): boolean => {
  if (OPT_OUT.test(lines[i] ?? '')) return true;
  for (let above = i - 1; above >= 0 && /^\s*\/\//.test(lines[above] ?? ''); above--) {
    if (OPT_OUT.test(lines[above] ?? '')) return true;
  }
  return false;
};

/** Every wall-clock wait in `source`, with whether it is marked `// wall-clock: <why>`. */
const findWaits = (file: string, source: string): Finding[] => {
  const lines = source.split('\n');
  const findings: Finding[] = [];
  lines.forEach((line, i) => {
    for (const { name, pattern } of WAITS) {
      if (!pattern.test(line)) continue;
      findings.push({
        at: `${file}:${i + 1}`,
        wait: name,
        line: line.trim(),
        optedOut: markedAt(lines, i),
      });
    }
  });
  return findings;
};

describe('no test of the runtime or its users waits on wall-clock time', () => {
  const files = SCANNED.flatMap(testFiles);

  it('scans the test folders', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('test/integration/runtime/eventSourceMapping.test.ts');
    expect(files).toContain('test/conformance/lambdaEvents.test.ts');
  });

  it('finds no sleep, timer or pause outside a `// wall-clock: <why>` marker', () => {
    const unmarked = files
      .flatMap((file) => findWaits(file, readFileSync(join(ROOT, file), 'utf8')))
      .filter((f) => !f.optedOut)
      .map((f) => `${f.at}: ${f.wait} in \`${f.line}\``);
    expect(unmarked, HINT).toEqual([]);
  });

  it('recognises the waits it forbids, and the marker', () => {
    const source = [
      'await new Promise((resolve) => setTimeout(resolve, 100));',
      'await sleep(300);',
      'await pause(450);',
      "import { setTimeout as wait } from 'node:timers/promises';",
      'await systemClock.sleep(10);',
      'await clock.sleep(60_000); // a ManualClock: fine',
      '// wall-clock: the worker thread times out on its own timer,',
      '// which is what this test is about',
      'await new Promise((resolve) => setTimeout(resolve, 5_000));',
      'const unrelated = 1; // wall-clock: a marker for another line',
      'await pause(1);',
    ].join('\n');
    const found = findWaits('example.test.ts', source);
    expect(found.filter((f) => !f.optedOut).map((f) => f.wait)).toEqual([
      'setTimeout',
      'sleep()',
      'pause()',
      'timers/promises',
      'sleep()',
      'pause()',
    ]);
    expect(found.filter((f) => f.optedOut).map((f) => f.at)).toEqual(['example.test.ts:9']);
  });
});
