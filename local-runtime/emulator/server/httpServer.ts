import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../Emulator.js';
import { handleAwsJsonRequest, MAX_BODY_BYTES } from './awsJsonProtocol.js';

/** Reads a request body, stopping (and reporting too large) once it passes the cap: bodies are never unbounded. */
const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES + 1) chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

/** The only node:http code of the emulator: bytes in, bytes out, everything else in the protocol handler. */
const listen = async (
  emulator: Emulator,
  host: string,
  port: number,
): Promise<{ server: Server; endpoint: string }> => {
  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => {
        const result = handleAwsJsonRequest(emulator, {
          method: request.method ?? 'GET',
          headers: request.headers,
          body,
        });
        response.writeHead(result.statusCode, {
          ...result.headers,
          'Content-Length': Buffer.byteLength(result.body),
        });
        response.end(result.body);
      })
      .catch(() => response.destroy());
  });
  // SDK clients keep connections alive; so do we, a little longer than their idle timeout.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, endpoint: `http://${shownHost}:${address.port}` };
};

export { listen };
