import { access } from 'node:fs/promises';
import { relative } from 'node:path';
import type { ResolvedMappingConfig } from '../../src/runtime/config/resolveMappingConfig.js';
import { loadTape } from '../../src/tape/readTape.js';
import { TapeFormatError } from '../../src/tape/TapeFormatError.js';
import type { Tape } from '../../src/tape/tapeFormat.js';
import type { Emulator } from '../emulator/Emulator.js';
import type { LoadedTape, TapeLoadOptions } from '../emulator/tape/loadTapeInto.js';
import { TapeLoadError } from '../emulator/tape/TapeLoadError.js';
import { type TableShape, tableProblem } from '../emulator/tape/tapeTable.js';
import type { LocalTemplate } from '../template/types.js';
import { DevOptionsError } from './DevOptionsError.js';

/** A tape given to `--load`, read and checked. */
interface DevTape {
  /** As the user gave it, for messages. */
  readonly path: string;
  readonly tape: Tape;
}

/** A tape laid into the emulator, by its stream ARN (what each mapping is told to read). */
type LoadedTapes = ReadonlyMap<string, LoadedTape & { readonly path: string }>;

/**
 * Reads every `--load` tape (gzip or not) before anything starts, so that a missing file, a bad line, a region
 * eddy dev does not run, two tapes of one table or a table the template declares otherwise stop it with one clear
 * message.
 */
const readDevTapes = async (
  paths: readonly string[],
  how: {
    regions: readonly string[];
    templates: ReadonlyMap<string, LocalTemplate>;
    endpoint?: string | undefined;
    stateDir?: string | undefined;
  },
): Promise<DevTape[]> => {
  if (paths.length === 0) return [];
  if (how.endpoint !== undefined) {
    throw new DevOptionsError(
      '--load lays tapes into the embedded emulator: it cannot be given with --endpoint (replay a tape against an endpoint with eddy replay)',
    );
  }
  if (how.stateDir !== undefined) {
    throw new DevOptionsError(
      "--load cannot be given with --state-dir: a loaded tape is not written to the emulator's journal; " +
        'run eddy dev --load without --state-dir',
    );
  }
  const tapes: DevTape[] = [];
  const tables = new Map<string, string>();
  for (const path of paths) {
    try {
      await access(path);
    } catch {
      throw new DevOptionsError(`--load ${path}: no such file`);
    }
    let tape: Tape;
    try {
      tape = await loadTape(path);
    } catch (error) {
      if (error instanceof TapeFormatError)
        throw new DevOptionsError(`--load: not a valid tape: ${error.message}`);
      throw error;
    }
    const { region, tableName } = tape.header;
    if (!how.regions.includes(region)) {
      throw new DevOptionsError(
        `--load ${path}: the tape is of region ${region}, which eddy dev does not run ` +
          `(${how.regions.join(', ')}): add --regions ${[...how.regions, region].join(',')}`,
      );
    }
    const other = tables.get(`${region}/${tableName}`);
    if (other !== undefined) {
      throw new DevOptionsError(
        `--load ${path}: ${other} is a tape of table ${tableName} in ${region} too; load one tape per table`,
      );
    }
    tables.set(`${region}/${tableName}`, path);
    const declared = declaredTable(tape, how.templates);
    const problem =
      declared === undefined
        ? undefined
        : tableProblem(tape, `tape ${path}`, declared.declaredIn, {
            KeySchema: declared.createTableInput.KeySchema as TableShape['KeySchema'],
            AttributeDefinitions: declared.createTableInput
              .AttributeDefinitions as TableShape['AttributeDefinitions'],
            StreamViewType: (
              declared.createTableInput.StreamSpecification as { StreamViewType?: string } | undefined
            )?.StreamViewType,
          });
    if (problem !== undefined) throw new DevOptionsError(`--load ${path}: ${problem}`);
    tapes.push({ path, tape });
  }
  return tapes;
};

/** The template's declaration of a tape's table, as `Emulator.loadTape` takes it; undefined if it has none. */
const declaredTable = (
  tape: Tape,
  templates: ReadonlyMap<string, LocalTemplate>,
): NonNullable<TapeLoadOptions['table']> | undefined => {
  const template = templates.get(tape.header.region);
  const declared = template?.tables.find((t) => t.createTableInput.TableName === tape.header.tableName);
  if (template === undefined || declared === undefined) return undefined;
  return {
    createTableInput: declared.createTableInput,
    ...(declared.timeToLive === undefined ? {} : { timeToLive: declared.timeToLive }),
    declaredIn: `${relative(process.cwd(), template.path) || template.path} (${declared.logicalId})`,
  };
};

/**
 * Lays each tape into the emulator before the template's tables are created and its mappings start: a table the
 * template declares is created from the template (and must agree with the tape), so `ensureTable` then keeps it.
 */
const layDevTapes = (
  emulator: Emulator,
  tapes: readonly DevTape[],
  templates: ReadonlyMap<string, LocalTemplate>,
  print: (line: string) => void,
): LoadedTapes => {
  const loaded = new Map<string, LoadedTape & { path: string }>();
  for (const { path, tape } of tapes) {
    const declared = declaredTable(tape, templates);
    let result: LoadedTape;
    try {
      result = emulator.loadTape(tape, {
        name: path,
        ...(declared === undefined ? {} : { table: declared }),
      });
    } catch (error) {
      if (error instanceof TapeLoadError) throw new DevOptionsError(`--load ${path}: ${error.message}`);
      throw error;
    }
    const shards = `${result.shards} shard${result.shards === 1 ? '' : 's'}`;
    print(
      `  ${result.region}: loaded ${path} into table ${result.tableName}${result.tableCreated ? '' : ' (kept)'}: ` +
        `${result.records} record${result.records === 1 ? '' : 's'} in ${shards}, ${result.items} item${result.items === 1 ? '' : 's'}` +
        `${result.removed === 0 ? '' : ` (${result.removed} removed)`}`,
    );
    for (const warning of result.warnings) print(`eddy dev: warning: ${warning}`);
    loaded.set(result.streamArn, { ...result, path });
  }
  return loaded;
};

/**
 * The warnings for one mapping on a loaded table: at LATEST it starts after the tape's records and never sees
 * them; with MaximumRecordAgeInSeconds, records older than that (their recorded ApproximateCreationDateTime) are
 * discarded as Lambda discards them
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-errors).
 */
const loadedMappingWarnings = (
  loaded: LoadedTapes | undefined,
  mapping: { mappingId: string; streamArn: string; config: ResolvedMappingConfig },
  now: number,
): string[] => {
  const tape = loaded?.get(mapping.streamArn);
  if (tape === undefined || tape.records === 0) return [];
  const warnings: string[] = [];
  const { StartingPosition, MaximumRecordAgeInSeconds } = mapping.config;
  if (StartingPosition === 'LATEST') {
    warnings.push(
      `eddy dev: warning: ${mapping.mappingId} reads table ${tape.tableName} from LATEST: it will not see the ` +
        `${tape.records} records loaded from ${tape.path} (set StartingPosition: TRIM_HORIZON to process them)`,
    );
  }
  const oldest = tape.oldestRecordAt;
  if (
    MaximumRecordAgeInSeconds > 0 &&
    oldest !== undefined &&
    now / 1000 - oldest > MaximumRecordAgeInSeconds
  ) {
    warnings.push(
      `eddy dev: warning: ${mapping.mappingId} has MaximumRecordAgeInSeconds ${MaximumRecordAgeInSeconds}: ` +
        `records of ${tape.path} older than that (they keep their recorded times) are discarded, not processed`,
    );
  }
  return warnings;
};

export type { DevTape, LoadedTapes };
export { layDevTapes, loadedMappingWarnings, readDevTapes };
