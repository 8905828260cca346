import { relative } from 'node:path';
import { build } from 'esbuild';

/**
 * Whether a function's entry point exports its handler, read from the source without running it: esbuild lists
 * the exports of an ES module. A CommonJS module's exports exist only once it runs, so it is not judged here
 * (the function's first cold start reports `Runtime.HandlerNotFound`, as Lambda does).
 *
 * Returns what is wrong, in the user's terms, or undefined when the export is there or cannot be judged.
 *
 * @example
 * await handlerExportProblem('/app/src/orders.ts', 'handlr');
 * // "src/orders.ts has no export named 'handlr' (it exports: handler)"
 */
const handlerExportProblem = async (
  entryPoint: string,
  exportName: string,
  cwd: string = process.cwd(),
): Promise<string | undefined> => {
  let metafile: import('esbuild').Metafile;
  try {
    ({ metafile } = await build({
      entryPoints: [entryPoint],
      absWorkingDir: cwd,
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      logLevel: 'silent',
      outdir: 'eddy-export-check',
    }));
  } catch {
    return undefined; // the function's own build reports what does not compile
  }
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (output?.entryPoint === undefined) return undefined;
  // 'cjs': exports are made at run time. undefined: no module syntax at all, so nothing is exported.
  if (metafile.inputs[output.entryPoint]?.format === 'cjs') return undefined;
  if (output.exports.includes(exportName)) return undefined;
  const shown = relative(cwd, entryPoint).startsWith('..') ? entryPoint : relative(cwd, entryPoint);
  const exported =
    output.exports.length === 0 ? 'it exports nothing' : `it exports: ${output.exports.join(', ')}`;
  return `${shown} has no export named '${exportName}' (${exported})`;
};

export { handlerExportProblem };
