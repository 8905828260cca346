import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { join, relative } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, freePort, ROOT, runCli } from '../helpers/runCli.js';

// `eddy` as a user meets it: a template of their own in a folder of their own, with the mistakes people make.

const TABLE = `
  Things:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: things
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Plain:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: plain
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]`;

const fn = (id: string, handler: string, events: Record<string, string>) => `
  ${id}:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
    Properties:
      Runtime: nodejs24.x
      Handler: ${handler}
      Events:${Object.entries(events)
        .map(
          ([name, properties]) => `
        ${name}:
          Type: DynamoDB
          Properties: ${properties}`,
        )
        .join('')}`;

const template = (...resources: string[]) =>
  `Transform: AWS::Serverless-2016-10-31\nResources:${TABLE}${resources.join('')}\n`;

const STREAM = 'Stream: !GetAtt Things.StreamArn';

const HANDLERS: Record<string, string> = {
  'logger.ts': `console.log('cold start');
export const handler = async (event: { Records: unknown[] }) => {
  console.log(\`got \${event.Records.length} record(s)\`);
  await new Promise((resolve) => setImmediate(resolve));
  console.error('on stderr, after a wait');
  process.stdout.write('a line written in two ');
  process.stdout.write('parts\\n');
  return { batchItemFailures: [] };
};
`,
  'notAFunction.ts': `export const handler = 42;
`,
  'failing.ts': `export const handler = async () => {
  throw new Error('the handler always fails');
};
`,
};

/** A folder of the user's (inside the project, so `tsx` resolves for the CLI): template.yaml and handlers. */
const appWith = async (yaml: string): Promise<string> => {
  await mkdir(join(ROOT, '.eddy'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, '.eddy', 'cli-'));
  await writeFile(join(dir, 'template.yaml'), yaml);
  for (const [file, text] of Object.entries(HANDLERS)) await writeFile(join(dir, file), text);
  return dir;
};

const apps: string[] = [];
afterAll(async () => {
  for (const dir of apps) await rm(dir, { recursive: true, force: true });
});

/** Runs `eddy dev` on the app's template and waits for it to exit. */
const devExits = async (dir: string, args: readonly string[] = []) => {
  const port = await freePort();
  const cli = runCli(['dev', '--template', join(dir, 'template.yaml'), '--port', String(port), ...args]);
  const code = await cli.exited;
  return { code, output: cli.output(), port };
};

/** Whether something accepts connections on the port. */
const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('eddy --version and --help', () => {
  it('prints the version of package.json and exits 0', async () => {
    const cli = runCli(['--version']);
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await cli.exited).toBe(0);
    expect(cli.output().trim()).toBe(version);
  });

  it('lists the exit codes in --help, and exits 2 on an unknown option', async () => {
    const help = runCli(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*usage or template error/);
    const unknown = runCli(['dev', '--no-such-option']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain("unknown option '--no-such-option'");
  });
});

describe('eddy dev finds every template problem before anything starts', () => {
  it('lists bad mapping settings of several events, a missing handler file and a missing export together, exits 2, opens no port', async () => {
    const dir = await appWith(
      template(
        fn('LoggerFunction', 'logger.handler', {
          First: `{${STREAM}, StartingPosition: SIDEWAYS, BatchSize: 0}`,
          Second: `{${STREAM}, StartingPosition: LATEST, ParallelizationFactor: 11}`,
        }),
        fn('GhostFunction', 'ghost.handler', { Stream: `{${STREAM}, StartingPosition: LATEST}` }),
        // Found only by building: said with the others, not after they are fixed.
        fn('TypoFunction', 'logger.handlr', { Stream: `{${STREAM}, StartingPosition: LATEST}` }),
      ),
    );
    apps.push(dir);
    const { code, output, port } = await devExits(dir);
    const file = relative(ROOT, join(dir, 'template.yaml'));
    const event = (name: string) => `${file}: Resources.LoggerFunction.Properties.Events.${name}.Properties`;
    expect(code).toBe(2);
    expect(output).toContain(
      `${event('First')}.StartingPosition: must be one of TRIM_HORIZON, LATEST for DynamoDB streams; got "SIDEWAYS"`,
    );
    expect(output).toContain(`${event('First')}.BatchSize: must be an integer from 1 to 10000; got 0`);
    expect(output).toContain(
      `${event('Second')}.ParallelizationFactor: must be an integer from 1 to 10; got 11`,
    );
    expect(output).toContain(
      `${file}: Resources.GhostFunction.Properties.Handler: no entry point for esbuild: neither ghost.ts nor ghost.js is in`,
    );
    expect(output).toMatch(
      /: Resources\.TypoFunction\.Properties\.Handler: \S*logger\.ts has no export named 'handlr' \(it exports: handler\)/,
    );
    expect(output).toContain(`eddy: 5 problems in ${file}; nothing runs until they are fixed`);
    expect(output).not.toContain('listening');
    expect(await listening(port)).toBe(false);
  });

  it('names a --parameter-overrides parameter the template does not declare, and a pair that is not one; exit 2', async () => {
    const dir = await appWith(
      template(fn('LoggerFunction', 'logger.handler', { Stream: `{${STREAM}, StartingPosition: LATEST}` })),
    );
    apps.push(dir);
    const file = relative(ROOT, join(dir, 'template.yaml'));
    const unknown = await devExits(dir, ['--parameter-overrides', 'ParameterKey=Stage,ParameterValue=dev']);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain(
      `${file}: Parameters: parameter override Stage: the template has no parameter Stage (it declares no Parameters)`,
    );
    const malformed = await devExits(dir, ['--parameter-overrides', 'Stage']);
    expect(malformed.code).toBe(2);
    expect(malformed.output).toContain("'Stage' is not ParameterKey=Name,ParameterValue=Value or Name=Value");
    expect(await listening(unknown.port)).toBe(false);
  });

  it('names a Handler export the file does not have, before the emulator starts', async () => {
    const dir = await appWith(
      template(fn('LoggerFunction', 'logger.handlr', { Stream: `{${STREAM}, StartingPosition: LATEST}` })),
    );
    apps.push(dir);
    const { code, output } = await devExits(dir);
    expect(code).toBe(2);
    expect(output).toContain(
      `: Resources.LoggerFunction.Properties.Handler: ${relative(ROOT, join(dir, 'logger.ts'))} has no export named 'handlr' (it exports: handler)`,
    );
    expect(output).not.toContain('listening');
  });
});

describe('eddy dev finds a Handler that is not a function', () => {
  it('at the cold start, before any mapping starts: exit 2', async () => {
    const dir = await appWith(
      template(
        fn('NumberFunction', 'notAFunction.handler', { Stream: `{${STREAM}, StartingPosition: LATEST}` }),
      ),
    );
    apps.push(dir);
    const { code, output } = await devExits(dir);
    expect(code).toBe(2);
    expect(output).toMatch(
      /: Resources\.NumberFunction\.Properties\.Handler: notAFunction\.handler: .*notAFunction\.(c|m)?js exports handler, but as a number, not a function; Handler is <file>\.<export>/,
    );
    expect(output).not.toContain('ready');
  });
});

describe('eddy dev names a stream that does not exist', () => {
  it('a literal ARN of a missing table, and of a table without a stream: the mapping, the ARN, what to do; exit 4', async () => {
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/nowhere/stream/2026-01-01T00:00:00.000';
    const noStream = 'arn:aws:dynamodb:us-east-1:000000000000:table/plain/stream/2026-01-01T00:00:00.000';
    const dir = await appWith(
      template(
        fn('LoggerFunction', 'logger.handler', {
          Missing: `{Stream: '${missing}', StartingPosition: LATEST}`,
          NoStream: `{Stream: '${noStream}', StartingPosition: LATEST}`,
        }),
      ),
    );
    apps.push(dir);
    const { code, output } = await devExits(dir);
    expect(code).toBe(4);
    expect(output).toMatch(
      new RegExp(
        `mapping LoggerFunction-Missing \\(Resources\\.LoggerFunction\\.Properties\\.Events\\.Missing\\.Properties\\.Stream\\): stream ${missing} names table nowhere, which does not exist at http://127\\.0\\.0\\.1:\\d+ \\(region us-east-1\\); create the table with a stream \\(StreamSpecification\\)`,
      ),
    );
    expect(output).toContain(`mapping LoggerFunction-NoStream`);
    expect(output).toMatch(
      /stream .*table\/plain\/stream\/.*: table plain has no stream .*StreamSpecification/,
    );
    expect(output).toContain('eddy dev: stopped; no mapping was started');
    expect(output).not.toContain('ready');
  });

  it("resolves the stream with the values of --parameter-overrides, in both of sam deploy's forms", async () => {
    const arn = `!Sub 'arn:aws:dynamodb:us-east-1:000000000000:table/nowhere-\${Stage}-\${Suffix}/stream/2026-01-01T00:00:00.000'`;
    const dir = await appWith(
      `Parameters:\n  Stage: {Type: String, Default: prod}\n  Suffix: {Type: String}\n${template(
        fn('LoggerFunction', 'logger.handler', { Missing: `{Stream: ${arn}, StartingPosition: LATEST}` }),
      )}`,
    );
    apps.push(dir);
    const overrides = ['--parameter-overrides', 'ParameterKey=Stage,ParameterValue=dev', 'Suffix=custom'];
    const { code, output } = await devExits(dir, overrides);
    expect(code).toBe(4);
    expect(output).toContain('names table nowhere-dev-custom, which does not exist');
  });
});

describe('eddy dev on a port in use', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('says so in one line with the fix, and exits 3', async () => {
    const dir = await appWith(
      template(fn('LoggerFunction', 'logger.handler', { Stream: `{${STREAM}, StartingPosition: LATEST}` })),
    );
    apps.push(dir);
    const cli = runCli(['dev', '--template', join(dir, 'template.yaml'), '--port', String(port)]);
    expect(await cli.exited).toBe(3);
    const lines = cli.output().trim().split('\n');
    expect(lines.at(-1)).toBe(
      `eddy: port ${port} is in use (something already listens on 127.0.0.1:${port}); pass --port N or --port 0 (any free port)`,
    );
    expect(cli.output()).not.toContain('EADDRINUSE');
    expect(cli.output()).not.toMatch(/^\s+at /m);
  });
});

describe('eddy dev while it runs', () => {
  let dev: CliProcess;
  let client: DynamoDBClient;

  beforeAll(async () => {
    const dir = await appWith(
      template(
        fn('LoggerFunction', 'logger.handler', { Stream: `{${STREAM}, StartingPosition: TRIM_HORIZON}` }),
        fn('FailingFunction', 'failing.handler', {
          Stream: `{${STREAM}, StartingPosition: TRIM_HORIZON, MaximumRetryAttempts: 0}`,
        }),
      ),
    );
    apps.push(dir);
    const port = await freePort();
    dev = runCli([
      'dev',
      ...['--template', join(dir, 'template.yaml'), '--port', String(port)],
      ...['--metrics-interval', '0.2', '--status-interval', '0.2'],
    ]);
    await dev.waitForOutput(/eddy dev: ready/, 60_000);
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    await client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'a' } } }));
  });

  afterAll(async () => {
    client?.destroy();
    // A clean stop exits 0.
    expect(await dev?.stop('SIGTERM')).toBe(0);
  });

  it("prints Lambda's START, the function's own output in order, END and REPORT, then the summary", async () => {
    await dev.waitForOutput(/\[LoggerFunction [0-9a-f]{8}\] 1 record in → ok/);
    const lines = dev
      .output()
      .split('\n')
      // The function's lines and its invocation summaries; not the mapping's metrics and status lines
      // (`[LoggerFunction-Stream] …`), which the monitor prints on its own clock, between them on a loaded machine.
      .filter((line) => line.startsWith('[LoggerFunction') && !line.startsWith('[LoggerFunction-'));
    const start = lines.findIndex((line) =>
      /^\[LoggerFunction\] START RequestId: [0-9a-f-]{36} Version: \$LATEST$/.test(line),
    );
    expect(start).toBeGreaterThan(0);
    const requestId = (lines[start] as string).split(' ')[3];
    expect(lines.slice(start - 1, start + 7)).toEqual([
      '[LoggerFunction] cold start',
      `[LoggerFunction] START RequestId: ${requestId} Version: $LATEST`,
      '[LoggerFunction] got 1 record(s)',
      '[LoggerFunction] on stderr, after a wait',
      '[LoggerFunction] a line written in two parts',
      `[LoggerFunction] END RequestId: ${requestId}`,
      expect.stringMatching(
        new RegExp(
          `^\\[LoggerFunction\\] REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms$`,
        ),
      ),
      expect.stringMatching(/^\[LoggerFunction [0-9a-f]{8}\] 1 record in → ok/),
    ]);
  });

  it("prints a failing mapping's status line with its last error, and each mapping's metrics", async () => {
    await dev.waitForOutput(
      /\[FailingFunction-Stream\] failing: iterator age [\d.]+ m?s, \d+ records? behind, \d+ batch(es)? in flight; last error \(.+\): (function error: Error: the handler always fails|.*discarded)/,
    );
    await dev.waitForOutput(
      /\[LoggerFunction-Stream\] metrics, last 0\.2 s: IteratorAge \d+ ms, PolledEventCount 1, FilteredOutEventCount 0, InvokedEventCount 1, FailedInvokeEventCount 0, DroppedEventCount 0, OnFailureDestinationDeliveredEventCount 0/,
    );
    await dev.waitForOutput(
      /\[FailingFunction-Stream\] metrics, last 0\.2 s: .*FailedInvokeEventCount [1-9]/,
    );
    // A mapping that keeps up without failing has no status line.
    expect(dev.output()).not.toMatch(/\[LoggerFunction-Stream\] (failing|lagging)/);
    // stdout is a pipe here, not a terminal: plain lines, no colour codes.
    expect(dev.output()).not.toContain('\u001b[');
  });
});
