#!/usr/bin/env node
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DASHBOARD_PATH, dashboardPages } from '../dashboard/dashboardPages.js';
import { startDev } from '../dev/startDev.js';
import type { EmulatorCredential } from '../emulator/server/AccessKeys.js';
import { parseCredentials } from '../emulator/server/parseCredentials.js';
import { startEmulator } from '../emulator/startEmulator.js';
import { addBootstrapCommand } from './bootstrapCommand.js';
import { addCheckpointCommand } from './checkpointCommand.js';
import { describeFailure } from './describeFailure.js';
import { EXIT_CODES, exitCodesHelp } from './exitCodes.js';
import { onShutdown } from './onShutdown.js';
import { packageVersion } from './packageVersion.js';
import { parseParameterOverrides } from './parseParameterOverrides.js';
import { addRecordCommand } from './recordCommand.js';
import { addRedriveCommand } from './redriveCommand.js';
import { addReplayCommand } from './replayCommand.js';
import { addTapeCommand } from './tapeCommand.js';

// Eddy pins AWS SDK versions that support Node 20; the SDK's notice about its future releases needing Node 22
// would otherwise open every `eddy` run (and every function's cold start). A user's own setting wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is an integer from 0 to 65535');
  return n;
};

/** `--metrics-interval 60` → milliseconds; 0 turns the lines off. */
const seconds = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError('a number of seconds, 0 or more (e.g. 60, or 0.5)');
  }
  return Math.round(n * 1000);
};

/** `--regions us-east-1,eu-west-1` → the names, trimmed; eddy dev checks them. */
const regionList = (value: string): string[] => {
  const regions = value.split(',').map((region) => region.trim());
  if (regions.some((region) => region === '')) {
    throw new InvalidArgumentError('a comma-separated list of regions, e.g. us-east-1,eu-west-1');
  }
  return regions;
};

/** `--parameter-overrides A=1 ParameterKey=B,ParameterValue=2`: each value read as `sam deploy` reads it. */
const parameterOverrides = (
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> => {
  try {
    return { ...previous, ...parseParameterOverrides([value]) };
  } catch (error) {
    // Commander names the option already.
    throw new InvalidArgumentError((error as Error).message.replace(/^--parameter-overrides: /, ''));
  }
};

/** `--credentials` is repeatable, and each value (or EDDY_CREDENTIALS) may list several keys. */
const credentials = (value: string, previous: EmulatorCredential[]): EmulatorCredential[] => {
  try {
    return [...previous, ...parseCredentials(value)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

/** The same two security options on `eddy emulator` and `eddy dev` (a fresh Option per command). */
const requireSignatureOption = () =>
  new Option(
    '--require-signature',
    "verify each request's SigV4 signature against --credentials; answer AWS's auth errors otherwise",
  ).default(false);
const credentialsOption = () =>
  new Option(
    '--credentials <AKID:SECRET[:ACCOUNT]>',
    'an access key the emulator knows, and its 12-digit account (repeatable, or comma-separated); ' +
      'keys without an account act in 000000000000, or in the key itself when it is 12 digits',
  )
    .env('EDDY_CREDENTIALS')
    .argParser(credentials)
    .default([], 'none');

/** `--allow-origin` and `--allow-host` are repeatable; each value may also list several, comma-separated. */
const repeatable = (value: string, previous: string[]): string[] => {
  const values = value.split(',').map((item) => item.trim());
  if (values.some((item) => item === ''))
    throw new InvalidArgumentError('give a value (or a comma-separated list)');
  return [...previous, ...values];
};

/** The emulator's browser and Host guards, the same on `eddy emulator` and `eddy dev`. */
const allowOriginOption = () =>
  new Option(
    '--allow-origin <origin>',
    'a browser origin (scheme://host[:port]) allowed to call the emulator besides pages on localhost, 127.0.0.1 ' +
      'and [::1]; "*" allows every origin (repeatable). Other origins are refused with 403',
  )
    .argParser(repeatable)
    .default([], 'loopback pages only');
const allowHostOption = () =>
  new Option(
    '--allow-host <name>',
    'a Host name the emulator answers besides loopback names, IP addresses and --host; "*" answers every name ' +
      '(repeatable). Other names are refused with 403 (DNS rebinding protection)',
  )
    .argParser(repeatable)
    .default([], 'loopback names only');

interface SecurityFlags {
  requireSignature: boolean;
  credentials: EmulatorCredential[];
  allowOrigin: string[];
  allowHost: string[];
}

/** `--require-signature` without a key would refuse every request: say so instead. */
const checkSecurity = (command: Command, flags: SecurityFlags): void => {
  if (flags.requireSignature && flags.credentials.length === 0)
    command.error(
      'eddy: --require-signature needs at least one --credentials AKID:SECRET[:ACCOUNT] (or EDDY_CREDENTIALS)',
    );
};

const program = new Command()
  .name('eddy')
  .description(
    'DynamoDB Streams processing: a local DynamoDB + Streams emulator and Lambda-style event source mappings',
  )
  .version(packageVersion(), '-V, --version', 'print the version of eddy')
  .addHelpText('afterAll', `\n${exitCodesHelp()}`)
  // Set before the commands are added, so that they inherit it: commander exits with 1 on a usage error; a
  // script can tell a usage error (2) from a failure (1) by the code.
  .exitOverride((error) => {
    process.exit(error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage);
  });

program
  .command('emulator')
  .description('run the DynamoDB + DynamoDB Streams emulator alone, for any AWS client (--endpoint-url)')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0 picks a free one)', port, 8000)
  .option(
    '--data-dir <dir>',
    'keep tables, items and streams in this folder (survives kill -9); in memory without it',
  )
  .option(
    '--fsync',
    'with --data-dir, flush every write to the disk too (survives a power cut; slower)',
    false,
  )
  .option(
    '--repair-journal',
    'with --data-dir, if a data dir file is damaged, keep everything before the damage and move the rest ' +
      'aside to a file next to it (named in the log) instead of refusing to start',
    false,
  )
  .addOption(requireSignatureOption())
  .addOption(credentialsOption())
  .addOption(allowOriginOption())
  .addOption(allowHostOption())
  .action(
    async (
      options: {
        host: string;
        port: number;
        dataDir?: string;
        fsync: boolean;
        repairJournal: boolean;
      } & SecurityFlags,
      command: Command,
    ) => {
      checkSecurity(command, options);
      const running = await startEmulator({
        pages: dashboardPages(),
        host: options.host,
        port: options.port,
        requireSignature: options.requireSignature,
        credentials: options.credentials,
        allowOrigins: options.allowOrigin,
        allowHosts: options.allowHost,
        ...(options.dataDir === undefined
          ? {}
          : {
              dataDir: resolve(options.dataDir),
              fsync: options.fsync,
              repairJournal: options.repairJournal,
            }),
      });
      console.log(
        `eddy emulator listening on ${running.endpoint}` +
          (options.requireSignature
            ? ` (SigV4 signatures required: ${options.credentials.length} key(s))`
            : ''),
      );
      console.log(
        `eddy emulator: dashboard at ${running.endpoint}${DASHBOARD_PATH}` +
          (options.requireSignature
            ? ' (refused to browsers under --require-signature: a browser cannot sign)'
            : ''),
      );
      onShutdown(() => running.close());
    },
  );

program
  .command('dev')
  .description('run template.yaml locally: emulator, tables, and one event source mapping per DynamoDB event')
  .option('--template <path>', 'SAM template', 'template.yaml')
  .option('--host <host>', 'address the emulator listens on', '127.0.0.1')
  .option('--port <port>', 'port the emulator listens on', port, 8000)
  .option(
    '--endpoint <url>',
    "consume the streams at this endpoint (real AWS, DynamoDB Local) instead of the emulator; the functions' " +
      "DynamoDB clients use it too, and an endpoint that is not AWS gets the template's missing tables",
  )
  .option('--region <region>', 'region of the tables and streams (default: us-east-1)')
  .option(
    '--regions <a,b>',
    "run the template in each of these regions of the emulator (a worker per function and region; the template's " +
      'PeerRegion parameter, if it has one, set to the other region); default: --region alone',
    regionList,
  )
  .option(
    '--parameter-overrides <pairs...>',
    "values of the template's parameters, as sam deploy takes them: Name=Value or " +
      'ParameterKey=Name,ParameterValue=Value, space separated',
    parameterOverrides,
  )
  .option(
    '--state-dir <dir>',
    "keep checkpoints (and the emulator's tables and streams) here so a restart resumes where it stopped",
  )
  .option(
    '--repair-journal',
    "with --state-dir, if the emulator's data is damaged, keep everything before the damage and move the rest " +
      'aside (named in the log) instead of refusing to start',
    false,
  )
  .option(
    '--build-dir <dir>',
    "where the functions' bundles go, inside the project (they import its node_modules); on-failure files go to " +
      'its sibling failures/ (default: .eddy/build next to the template)',
  )
  .addOption(
    new Option(
      '--metrics-interval <seconds>',
      "print each mapping's metrics (EventCount sums, IteratorAge) this often while it has work; 0: never",
    )
      .argParser(seconds)
      .default(60_000, '60'),
  )
  .addOption(
    new Option(
      '--status-interval <seconds>',
      'check each mapping this often, and print a status line if it lags or has failed; 0: never',
    )
      .argParser(seconds)
      .default(10_000, '10'),
  )
  .addOption(
    new Option('--lag-threshold <seconds>', 'iterator age from which a mapping is said to lag')
      .argParser(seconds)
      .default(60_000, '60'),
  )
  .option(
    '--load <tape>',
    "start with a tape's table, its records in the stream and its items as of the last record (eddy record " +
      'writes tapes; gzip too); repeat for several tables',
    (tape: string, tapes: string[] = []) => [...tapes, tape],
  )
  .option(
    '--watch',
    'rebuild a function (BuildMethod: esbuild) when a file of its bundle changes, and run the next batch on the ' +
      'new code; a build error keeps the previous version running',
    false,
  )
  .addOption(requireSignatureOption())
  .addOption(credentialsOption())
  .addOption(allowOriginOption())
  .addOption(allowHostOption())
  .action(
    async (
      options: {
        template: string;
        watch: boolean;
        load?: string[];
        host: string;
        port: number;
        endpoint?: string;
        region?: string;
        regions?: string[];
        parameterOverrides?: Record<string, string>;
        stateDir?: string;
        repairJournal: boolean;
        buildDir?: string;
        metricsInterval: number;
        statusInterval: number;
        lagThreshold: number;
      } & SecurityFlags,
      command: Command,
    ) => {
      checkSecurity(command, options);
      if (options.region !== undefined && options.regions !== undefined) {
        command.error('eddy: give --region or --regions, not both');
      }
      const session = await startDev({
        templatePath: resolve(options.template),
        host: options.host,
        port: options.port,
        requireSignature: options.requireSignature,
        credentials: options.credentials,
        allowOrigins: options.allowOrigin,
        allowHosts: options.allowHost,
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        ...(options.region === undefined ? {} : { region: options.region }),
        ...(options.regions === undefined ? {} : { regions: options.regions }),
        ...(options.parameterOverrides === undefined
          ? {}
          : { parameterOverrides: options.parameterOverrides }),
        ...(options.stateDir === undefined ? {} : { stateDir: resolve(options.stateDir) }),
        ...(options.repairJournal ? { repairJournal: true } : {}),
        ...(options.buildDir === undefined ? {} : { buildDir: resolve(options.buildDir) }),
        ...(options.load === undefined ? {} : { load: options.load }),
        metricsIntervalMs: options.metricsInterval,
        statusIntervalMs: options.statusInterval,
        lagThresholdMs: options.lagThreshold,
        ...(options.watch ? { watch: true } : {}),
      });
      const firstTable = session.template.tables.find(
        (t) => t.createTableInput.StreamSpecification !== undefined,
      );
      console.log(
        `eddy dev: ready. Point any AWS client at ${session.endpoint} with region ${session.regions.join(' or ')}, e.g.`,
      );
      if (firstTable !== undefined) {
        console.log(
          `  aws dynamodb put-item --endpoint-url ${session.endpoint} --region ${session.region} ` +
            `--table-name ${String(firstTable.createTableInput.TableName)} --item '{…}'`,
        );
      }
      onShutdown(() => session.stop());
    },
  );

addRecordCommand(program);
addRedriveCommand(program);
addReplayCommand(program);
addBootstrapCommand(program);
addCheckpointCommand(program);
addTapeCommand(program);

program.parseAsync().catch((error: unknown) => {
  // Errors in the user's terms (every template problem on a line, a port in use with the fix), and an exit code
  // a script can branch on.
  const failure = describeFailure(error);
  for (const line of failure.lines) console.error(line);
  process.exit(failure.exitCode);
});
