import { type FSWatcher, watch } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BuildProblem, FunctionRebuilder, type Rebuilt } from '../functions/FunctionRebuilder.js';
import type { Preload, ReloadOptions } from '../functions/WorkerInvoker.js';
import type { FunctionDefinition } from '../template/types.js';

/** What the watcher swaps: a copy of the function (one per region), as `WorkerInvoker` does it. */
interface Reloadable {
  reload(next: ReloadOptions): Promise<Error | undefined>;
  prewarm(preload: Preload | undefined): void;
}

interface WatchFunctionsOptions {
  /** The template's functions; those `BuildMethod: esbuild` bundles are watched. */
  readonly functions: readonly FunctionDefinition[];
  /** Where `buildFunction` wrote the bundles: `<buildDir>/<logicalId>/`. */
  readonly buildDir: string;
  /** Every running copy of a function (each region's). */
  readonly copiesOf: (logicalId: string) => readonly Reloadable[];
  readonly print: (line: string) => void;
  /**
   * How long a file must stay quiet before a rebuild: a save that truncates the file and then writes it is two
   * changes, and a build between them would bundle an empty module. @default 50
   */
  readonly settleMs?: number;
}

/** One watched function: its incremental build, the files its bundle is made of, and its state. */
interface Watched {
  readonly fn: FunctionDefinition;
  readonly rebuilder: FunctionRebuilder;
  inputs: Set<string>;
  /** When the first change not yet built was seen (performance.now()), and which file it was. */
  changed?: { at: number; file: string };
  timer?: NodeJS.Timeout;
  building?: Promise<void>;
  /** The first change of a swap still to come (a build superseded by a newer change keeps it). */
  pendingSince?: { at: number; file: string };
}

const PREFIX = 'eddy dev --watch:';
/**
 * Where the rebuilds go: `<buildDir>/_watch/<logicalId>/`, beside the bundles `buildFunction` wrote as `sam build`
 * would (kept as they are); a logical ID is alphanumeric, so no function's folder is named so.
 */
const WATCH_FOLDER = '_watch';

/** A file as the console names it: relative to the working folder when inside it, absolute otherwise. */
const shown = (file: string): string => {
  const path = relative(process.cwd(), file);
  return path === '' || path.startsWith('..') || isAbsolute(path) ? file : path;
};

/** esbuild's errors as an editor or a terminal links them: `file:line:column: text`. */
const problemsText = (errors: readonly BuildProblem[]): string =>
  errors
    .map((e) => (e.file === undefined ? e.text : `${shown(e.file)}:${e.line}:${e.column}: ${e.text}`))
    .join('; ');

/**
 * `eddy dev --watch`: rebuilds a function when a file its bundle is made of changes (esbuild's metafile names
 * them; an incremental esbuild context rebuilds), then swaps each running copy's execution environment between
 * two invocations (`WorkerInvoker.reload`): no batch is cut in half, and the mappings, their checkpoints and
 * leases are untouched, so the next batch runs the new code. A build error (file:line:column) or a new version
 * that fails to load leaves the previous version running. A line says which function was reloaded and how long
 * it took from the change seen to the new environment ready.
 *
 * The watcher is Node's own `fs.watch` (inotify on Linux, FSEvents on macOS), on the folders of the bundle's
 * inputs outside node_modules, not recursive: no dependency, nothing watched that cannot change the bundle, and
 * watching folders rather than files sees editors' atomic saves (a new file renamed over the old one).
 *
 * @example
 * const watcher = await watchFunctions({ functions: template.functions, buildDir, copiesOf, print: console.log });
 * // … edit a handler: "eddy dev --watch: reloaded OrdersProjection in 180 ms (handlers/ordersProjection.ts)"
 * await watcher.close();
 */
const watchFunctions = async (options: WatchFunctionsOptions): Promise<{ close(): Promise<void> }> => {
  const settleMs = options.settleMs ?? 50;
  const watchers = new Map<string, FSWatcher>();
  /** Which functions a folder's files go into. */
  const byFolder = new Map<string, Set<Watched>>();
  const watched: Watched[] = [];
  let closed = false;

  const folderOf = (file: string) => dirname(file);
  const follow = (entry: Watched, inputs: readonly string[]) => {
    entry.inputs = new Set(inputs);
    for (const file of inputs) {
      if (file.split(sep).includes('node_modules')) continue;
      const folder = folderOf(file);
      const entries = byFolder.get(folder) ?? new Set<Watched>();
      entries.add(entry);
      byFolder.set(folder, entries);
      if (watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, (_event, name) => changed(folder, name));
        watcher.on('error', () => undefined); // a folder deleted: its files are no longer inputs
        watchers.set(folder, watcher);
      } catch {
        // A folder that cannot be watched (gone already): the next successful build says what to watch.
      }
    }
  };

  const changed = (folder: string, name: string | Buffer | null) => {
    const file = name === null ? undefined : join(folder, name.toString());
    for (const entry of byFolder.get(folder) ?? []) {
      if (file !== undefined && !entry.inputs.has(file)) continue;
      entry.changed ??= { at: performance.now(), file: file ?? folder };
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => void rebuild(entry), settleMs);
    }
  };

  const rebuild = async (entry: Watched): Promise<void> => {
    if (closed) return;
    if (entry.building !== undefined) {
      // A change during a build: built again once this one ends.
      await entry.building;
      if (entry.changed !== undefined) return rebuild(entry);
      return;
    }
    const change = entry.changed;
    if (change === undefined) return;
    entry.changed = undefined;
    const since = entry.pendingSince ?? change;
    entry.pendingSince = since;
    entry.building = swap(entry, since).finally(() => {
      entry.building = undefined;
    });
    await entry.building;
  };

  const swap = async (entry: Watched, change: { at: number; file: string }): Promise<void> => {
    const { logicalId } = entry.fn;
    const built = await entry.rebuilder.rebuild();
    // Changed again while it built: this build may have read a half-written file (an error that is not one, or
    // an empty module); the next build, already due, is the one that counts.
    if (closed || entry.changed !== undefined) return;
    entry.pendingSince = undefined;
    if (!built.ok) {
      options.print(
        `${PREFIX} ${logicalId}: build failed; the previous version keeps running: ${problemsText(built.errors)}`,
      );
      return;
    }
    follow(entry, built.inputs);
    let errors = await reloadCopies(logicalId, built);
    if (errors.length > 0 && !entry.rebuilder.isWhole) {
      // Maybe a package Node could not load from node_modules as esbuild found it: SAM's whole bundle decides.
      const whole = await entry.rebuilder.rebuild({ whole: true });
      if (whole.ok && (await reloadCopies(logicalId, whole)).length === 0) {
        entry.rebuilder.wholeFromNowOn();
        const [first] = errors as [Error];
        options.print(
          `${PREFIX} ${logicalId}: its bundle without node_modules did not load (${first.name}: ${first.message}); ` +
            'bundling node_modules from now on (slower reloads)',
        );
        errors = [];
      }
    }
    const ms = Math.round(performance.now() - change.at);
    // The next reload's spares, once every copy of this one is swapped in: not in the way of its cold starts.
    for (const copy of options.copiesOf(logicalId))
      copy.prewarm(entry.rebuilder.isWhole ? undefined : built.preload);
    if (errors.length > 0) {
      const [first] = errors as [Error];
      options.print(
        `${PREFIX} ${logicalId}: the new version failed to load (${first.name}: ${first.message}); ` +
          'the previous version keeps running',
      );
      return;
    }
    options.print(`${PREFIX} reloaded ${logicalId} in ${ms} ms (${shown(change.file)})`);
  };

  /** Swaps the build into every copy of the function; resolves with the copies' errors. */
  const reloadCopies = async (logicalId: string, built: Rebuilt & { ok: true }): Promise<Error[]> => {
    if (built.moduleUrl === undefined)
      return [new Error(`the new bundle has no module for the function's Handler`)];
    const next = {
      bundleUrl: built.moduleUrl,
      ...(built.preload === undefined ? {} : { preload: built.preload }),
    };
    const results = await Promise.all(options.copiesOf(logicalId).map((copy) => copy.reload(next)));
    return results.filter((error): error is Error => error !== undefined);
  };

  for (const fn of options.functions) {
    if (fn.build.builder !== 'esbuild' || fn.build.esbuild === undefined) {
      options.print(
        `${PREFIX} ${fn.logicalId} is not bundled (no Metadata BuildMethod: esbuild): restart eddy dev after editing it`,
      );
      continue;
    }
    const rebuilder = await FunctionRebuilder.start(
      { codeUri: fn.codeUri, handler: fn.handler, build: { esbuild: fn.build.esbuild } },
      join(options.buildDir, WATCH_FOLDER, fn.logicalId),
    );
    const entry: Watched = { fn, rebuilder, inputs: new Set() };
    watched.push(entry);
    // The first build names the inputs; its packages are what the spares import before the next save.
    const first = await rebuilder.rebuild();
    if (!first.ok) continue;
    follow(entry, first.inputs);
    for (const copy of options.copiesOf(fn.logicalId)) copy.prewarm(first.preload);
  }
  // What is watched: the inputs outside node_modules (a dependency changes with a restart, not an edit).
  const files = new Set(
    watched.flatMap((entry) => [...entry.inputs].filter((file) => !file.split(sep).includes('node_modules'))),
  );
  options.print(
    `${PREFIX} watching ${files.size} file${files.size === 1 ? '' : 's'} of ${watched.length} function${watched.length === 1 ? '' : 's'} in ${watchers.size} folder${watchers.size === 1 ? '' : 's'}`,
  );
  return {
    close: async () => {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      for (const entry of watched) clearTimeout(entry.timer);
      await Promise.allSettled(watched.map((entry) => entry.building));
      await Promise.all(watched.map((entry) => entry.rebuilder.dispose()));
    },
  };
};

export type { Reloadable, WatchFunctionsOptions };
export { watchFunctions };
