import { type CliProcess, runCli } from '../helpers/runCli.js';

/**
 * The emulator as users run it, `eddy emulator --port 0 --data-dir DIR`, in its own process: a crash is an
 * exit, not an exception in the test runner, and a restart reads the data dir as a real restart does.
 */
class EmulatorProcess {
  #printed = 0;

  private constructor(
    readonly cli: CliProcess,
    readonly port: number,
  ) {}

  static async start(dataDir: string): Promise<EmulatorProcess> {
    const cli = runCli(['emulator', '--port', '0', '--data-dir', dataDir]);
    await cli.waitForOutput(/listening on http:\/\/[^\s:]+:\d+/, 60_000);
    const port = Number(/listening on http:\/\/[^\s:]+:(\d+)/.exec(cli.output())?.[1]);
    const running = new EmulatorProcess(cli, port);
    running.#printed = cli.output().length;
    return running;
  }

  alive(): boolean {
    return this.cli.child.exitCode === null && this.cli.child.signalCode === null;
  }

  /** What the process printed since the last call (an internal error's stack, a crash's last words). */
  newOutput(): string {
    const output = this.cli.output();
    const fresh = output.slice(this.#printed);
    this.#printed = output.length;
    return fresh;
  }

  /** SIGTERM, as Ctrl-C or a supervisor stops it; SIGKILL if it has not exited in 15 s. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.alive()) return;
    const timer = setTimeout(() => this.cli.child.kill('SIGKILL'), 15_000);
    await this.cli.stop(signal);
    clearTimeout(timer);
  }
}

export { EmulatorProcess };
