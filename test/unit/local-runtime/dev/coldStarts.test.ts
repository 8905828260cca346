import { describe, expect, it } from 'vitest';
import { checkColdStarts } from '../../../../local-runtime/dev/coldStarts.js';
import { FunctionError } from '../../../../local-runtime/functions/WorkerInvoker.js';
import type { FunctionDefinition } from '../../../../local-runtime/template/types.js';

const fn = { logicalId: 'Projection', handler: 'app.handlr' } as FunctionDefinition;

describe('checkColdStarts', () => {
  it('makes a Handler that names no function a template error at its Handler', () => {
    const lines: string[] = [];
    const error = new FunctionError('Runtime.HandlerNotFound', 'app.handlr is undefined or not exported');
    expect(() =>
      checkColdStarts([{ fn, label: 'Projection', error }], 'template.yaml', (l) => lines.push(l)),
    ).toThrow(
      'template.yaml: Resources.Projection.Properties.Handler: app.handlr: app.handlr is undefined or not exported; ' +
        'Handler is <file>.<export>: after the last dot, name a function the file exports',
    );
    expect(lines).toEqual([]);
  });

  it('says another cold start failure as a warning, and a good one not at all', () => {
    const lines: string[] = [];
    const error = new FunctionError('Runtime.ImportModuleError', 'boom');
    checkColdStarts(
      [
        { fn, label: 'Projection@eu-west-1', error },
        { fn, label: 'Projection@us-east-1', error: undefined },
      ],
      'template.yaml',
      (line) => lines.push(line),
    );
    expect(lines).toEqual([
      'eddy dev: warning: Projection@eu-west-1: its cold start failed (Runtime.ImportModuleError: boom); its invocations fail until that is fixed',
    ]);
  });

  it('says how to give an ESM bundle a require when its CommonJS code needs one (esbuild: Dynamic require … is not supported)', () => {
    const lines: string[] = [];
    const error = new FunctionError('Error', 'Dynamic require of "node:https" is not supported');
    checkColdStarts([{ fn, label: 'Projection', error }], 'template.yaml', (line) => lines.push(line));
    expect(lines[0]).toMatch(
      /its cold start failed \(Error: Dynamic require of "node:https" is not supported\)/,
    );
    expect(lines[0]).toMatch(
      /add to Resources\.Projection\.Metadata\.BuildProperties MainFields: module,main and Banner: \["js=import \{ createRequire \} from 'node:module'; const require = createRequire\(import\.meta\.url\);"\]/,
    );
  });
});
