import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '../../..');

interface EntryPoint {
  /** The subpath as a user imports it: `eddy`, `eddy/runtime`. */
  readonly specifier: string;
  /** The TypeScript source the entry's `import` condition is built from. */
  readonly source: string;
}

/**
 * The package's entry points, read from package.json `exports` (so a new subpath is checked without editing a
 * list), each with the source file `tsc -p tsconfig.build.json` compiles to its `import` target.
 */
const entryPoints = (): EntryPoint[] => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { import?: string }>;
  };
  return Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    if (typeof target === 'string') return []; // ./package.json
    const built = target.import as string;
    const source = join(ROOT, built.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
    return [{ specifier: join(manifest.name, subpath), source }];
  });
};

interface ExportDoc {
  readonly entry: string;
  readonly name: string;
  readonly summary: string;
  readonly hasExample: boolean;
}

/** Every symbol each entry point exports, with its TSDoc summary and whether it has an `@example`. */
const exportDocs = (entries: readonly EntryPoint[]): ExportDoc[] => {
  const sources = entries.map((e) => e.source).filter((source) => existsSync(source));
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  const program = ts.createProgram(sources, { ...config?.options, noEmit: true });
  const checker = program.getTypeChecker();
  return entries.flatMap((entry) => {
    const file = program.getSourceFile(entry.source);
    const module = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    if (module === undefined) return [];
    return checker.getExportsOfModule(module).map((exported) => {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      return {
        entry: entry.specifier,
        name: exported.name,
        summary: ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim(),
        hasExample: symbol.getJsDocTags(checker).some((tag) => tag.name === 'example'),
      };
    });
  });
};

export type { EntryPoint, ExportDoc };
export { entryPoints, exportDocs, ROOT };
