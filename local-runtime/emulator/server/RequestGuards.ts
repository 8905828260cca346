import { AwsServiceError, NAMESPACE } from '../errors.js';

/** Which `Host` names and browser `Origin`s an emulator serves, beyond the loopback ones it always serves. */
interface GuardOptions {
  /**
   * Browser origins (`https://app.example:8443`) that get CORS grants besides the loopback ones, or `*` for
   * any origin. @default []
   */
  readonly allowOrigins?: readonly string[];
  /** `Host` names accepted besides loopback names, IP literals and `host`, or `*` for any. @default [] */
  readonly allowHosts?: readonly string[];
  /** The address the emulator listens on (`--host`): a name given there is accepted as a `Host` too. */
  readonly host?: string;
}

/**
 * A page served from this machine: `http(s)://localhost`, `*.localhost` (RFC 6761 names browsers resolve to
 * loopback themselves), `127.x.y.z` or `[::1]`, on any port.
 */
const LOOPBACK_ORIGIN =
  /^https?:\/\/(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/** `Host: name:port` → the name, lower-case, without a trailing dot; `[v6]` keeps its brackets. */
const hostName = (host: string): string => {
  const value = host.trim().toLowerCase();
  const name = value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : value.replace(/:\d*$/, '');
  return name.endsWith('.') ? name.slice(0, -1) : name;
};

/** An origin as browsers serialize it: lower-case scheme and host, no trailing slash. */
const normalizeOrigin = (origin: string): string => origin.trim().replace(/\/+$/, '').toLowerCase();

/**
 * The emulator's answer to a request it will not serve: 403 in DynamoDB's error shape (so SDKs and the fuzz
 * suite read it like any other error), with a message that says how to allow it. Not an AWS behaviour: AWS
 * serves every Host and Origin; these guards exist because the emulator runs on a developer's machine, where
 * any web page could otherwise drive it (CORS) or reach it through a DNS name rebound to 127.0.0.1.
 */
const refused = (message: string) =>
  new AwsServiceError('AccessDeniedException', message, { namespace: NAMESPACE.coral, statusCode: 403 });

/**
 * Decides, before anything else runs, whether a request's `Host` and `Origin` may reach the emulator, and
 * which CORS grant an allowed origin gets.
 *
 * - `Host`: loopback names (`localhost`, `*.localhost`), any IP literal (a rebound DNS name never arrives as
 *   one), the configured host and `allowHosts`. A missing `Host` (HTTP/1.0) is not a browser's request and
 *   passes. Everything else is refused: that is what a DNS-rebinding page sends.
 * - `Origin`: loopback pages and `allowOrigins`. Requests without an `Origin` (SDKs, the CLI, curl) pass and
 *   get no `Access-Control-*` headers, as DynamoDB sends none then.
 */
class RequestGuards {
  readonly #origins: ReadonlySet<string>;
  readonly #anyOrigin: boolean;
  readonly #hosts: ReadonlySet<string>;
  readonly #anyHost: boolean;

  /** @throws Error - for an empty origin or host, or an origin that is not `scheme://host[:port]` */
  constructor(options: GuardOptions = {}) {
    const origins = new Set<string>();
    for (const origin of options.allowOrigins ?? []) {
      const normalized = normalizeOrigin(origin);
      if (normalized !== '*' && !/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/.test(normalized))
        throw new Error(`eddy: --allow-origin '${origin}' must be scheme://host[:port] (or *)`);
      origins.add(normalized);
    }
    this.#anyOrigin = origins.has('*');
    this.#origins = origins;
    const hosts = new Set<string>();
    for (const host of [
      ...(options.allowHosts ?? []),
      ...(options.host === undefined ? [] : [options.host]),
    ]) {
      if (host.trim() === '') throw new Error('eddy: --allow-host needs a host name');
      hosts.add(host.trim() === '*' ? '*' : hostName(host));
    }
    this.#anyHost = hosts.has('*');
    this.#hosts = hosts;
  }

  /** `Host` values found allowed: clients send the same one on every request, so it is decided once. */
  readonly #seen = new Set<string>();

  /** Whether a request with this `Host` header may be served. */
  hostAllowed(host: string | undefined): boolean {
    if (host === undefined || this.#anyHost || this.#seen.has(host)) return true;
    const name = hostName(host);
    const allowed =
      name === 'localhost' ||
      name.endsWith('.localhost') ||
      IPV4.test(name) ||
      IPV6.test(name) ||
      this.#hosts.has(name);
    if (allowed && this.#seen.size < 64) this.#seen.add(host);
    return allowed;
  }

  /**
   * The `Access-Control-Allow-Origin` a request's `Origin` is granted: `undefined` when there is no `Origin`
   * (no CORS headers at all), `false` when the origin is not allowed.
   */
  originGrant(origin: string | undefined): string | false | undefined {
    if (origin === undefined) return undefined;
    if (this.#anyOrigin) return '*';
    const normalized = normalizeOrigin(origin);
    return LOOPBACK_ORIGIN.test(normalized) || this.#origins.has(normalized) ? origin.trim() : false;
  }

  /**
   * The refusal for a request whose `Host` or `Origin` is not allowed, or `undefined` when it may go on.
   * Checked before the method, the body or the signature are looked at.
   */
  check(host: string | undefined, origin: string | undefined): AwsServiceError | undefined {
    if (!this.hostAllowed(host)) {
      return refused(
        `Host ${JSON.stringify(host)} is not served: the emulator answers loopback names, IP addresses and ` +
          'its --host only (DNS rebinding protection). Start it with --allow-host NAME to serve another name.',
      );
    }
    if (this.originGrant(origin) === false) {
      return refused(
        `Origin ${JSON.stringify(origin)} is not allowed: the emulator grants CORS to pages on localhost, ` +
          '127.0.0.1 and [::1] only. Start it with --allow-origin ORIGIN (or --allow-origin "*") to allow it.',
      );
    }
    return undefined;
  }
}

export type { GuardOptions };
export { RequestGuards };
