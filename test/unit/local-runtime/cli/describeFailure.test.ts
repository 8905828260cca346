import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../../../local-runtime/cli/describeFailure.js';
import { EXIT_CODES } from '../../../../local-runtime/cli/exitCodes.js';
import { packageVersion } from '../../../../local-runtime/cli/packageVersion.js';
import { MissingStreamError } from '../../../../local-runtime/dev/MissingStreamError.js';
import { DevOptionsError } from '../../../../local-runtime/dev/startDev.js';
import { TemplateError } from '../../../../local-runtime/template/TemplateError.js';
import { TemplateErrors } from '../../../../local-runtime/template/TemplateErrors.js';

const listenError = (code: string, port = 8000) =>
  Object.assign(new Error(`listen ${code}: 127.0.0.1:${port}`), {
    code,
    syscall: 'listen',
    address: '127.0.0.1',
    port,
  });

describe('describeFailure', () => {
  it('a port in use is one line with the fix, exit code 3', () => {
    expect(describeFailure(listenError('EADDRINUSE'))).toEqual({
      lines: [
        'eddy: port 8000 is in use (something already listens on 127.0.0.1:8000); pass --port N or --port 0 (any free port)',
      ],
      exitCode: EXIT_CODES.address,
    });
    expect(describeFailure(listenError('EACCES', 80)).lines[0]).toMatch(
      /not permitted to listen on 127\.0\.0\.1:80 /,
    );
  });

  it('every template problem on its own line, the template relative to the working folder, exit code 2', () => {
    const cwd = '/home/me/app';
    const errors = new TemplateErrors([
      new TemplateError(
        '/home/me/app/template.yaml',
        'Resources.Fn.Properties.Events.S.Properties.BatchSize',
        'must be …',
      ),
      new TemplateError('/home/me/app/template.yaml', 'Resources.Other.Properties.Handler', 'no source file'),
    ]);
    expect(describeFailure(errors, cwd)).toEqual({
      lines: [
        'template.yaml: Resources.Fn.Properties.Events.S.Properties.BatchSize: must be …',
        'template.yaml: Resources.Other.Properties.Handler: no source file',
        'eddy: 2 problems in template.yaml; nothing runs until they are fixed',
      ],
      exitCode: EXIT_CODES.usage,
    });
    expect(describeFailure(new TemplateError('/elsewhere/t.yaml', '', 'cannot read'), cwd).lines).toEqual([
      '/elsewhere/t.yaml: cannot read',
      'eddy: a problem in /elsewhere/t.yaml; nothing runs until it is fixed',
    ]);
  });

  it('option errors exit 2, missing streams 4, anything else 1 with its stack', () => {
    expect(
      describeFailure(new DevOptionsError('eddy dev: give --region or --regions, not both')).exitCode,
    ).toBe(2);
    const missing = describeFailure(new MissingStreamError(['mapping A: stream arn… does not exist']));
    expect(missing).toEqual({
      lines: ['eddy dev: mapping A: stream arn… does not exist', 'eddy dev: stopped; no mapping was started'],
      exitCode: EXIT_CODES.missingResource,
    });
    const other = describeFailure(new Error('boom'));
    expect(other.exitCode).toBe(EXIT_CODES.failure);
    expect(other.lines[0]).toMatch(/^eddy: unexpected error: Error: boom\n\s+at /);
  });
});

describe('packageVersion', () => {
  it("is this package's version, from source", () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    expect(packageVersion()).toBe(version);
  });

  it('finds the package.json named eddy above the module, as from dist/local-runtime/cli in the tarball', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-version-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'eddy', version: '9.8.7' }));
      mkdirSync(join(dir, 'dist/local-runtime/cli/node_modules'), { recursive: true });
      // A package.json of another name on the way up is not eddy's.
      writeFileSync(join(dir, 'dist/package.json'), JSON.stringify({ name: 'other', version: '1.0.0' }));
      expect(packageVersion(pathToFileURL(join(dir, 'dist/local-runtime/cli/main.js')).href)).toBe('9.8.7');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
