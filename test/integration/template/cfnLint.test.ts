import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// template.yaml as CloudFormation's own linter reads it (cfn-lint, AWS's, preinstalled on the project's
// machines): an error there (a retired Lambda runtime is E2533) means `sam deploy` would fail. The test fails,
// rather than skips, when cfn-lint is missing, so CI cannot pass without the check.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('template.yaml under cfn-lint', () => {
  it('has no errors or warnings', () => {
    const run = spawnSync('cfn-lint', ['--format', 'parseable', 'template.yaml'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (run.error !== undefined) {
      throw new Error(`cfn-lint is not installed (${run.error.message}): pip install cfn-lint`);
    }
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  });
});
