import type { IncomingMessage } from 'node:http';

type BodyResult =
  | { readonly kind: 'complete'; readonly body: Buffer }
  /** `received`: the bytes read (and let go) before refusing. */
  | { readonly kind: 'tooLarge'; readonly received: number };

/** The Content-Length a request declares, when it declares a usable one. */
const declaredLength = (request: IncomingMessage): number | undefined => {
  const header = request.headers['content-length'];
  const length = header === undefined ? Number.NaN : Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
};

/**
 * Reads a request body of at most `limit` bytes. A body declared larger is refused before a byte is read; one
 * that grows past the limit (chunked uploads) is refused as soon as it does, and the bytes kept so far are let
 * go. Either way the request is left paused with the rest unread, for the caller to drain or drop.
 */
const readBody = (request: IncomingMessage, limit: number): Promise<BodyResult> =>
  new Promise((resolve, reject) => {
    const declared = declaredLength(request);
    if (declared !== undefined && declared > limit) {
      resolve({ kind: 'tooLarge', received: 0 });
      return;
    }
    let chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks = [];
      stop();
      request.pause();
      resolve({ kind: 'tooLarge', received: size });
    };
    const onEnd = () => {
      stop();
      resolve({ kind: 'complete', body: Buffer.concat(chunks, size) });
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    // A client that goes away mid-body: nothing to answer.
    const onClose = () => {
      stop();
      reject(new Error('the client closed the connection before the body ended'));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });

export type { BodyResult };
export { declaredLength, readBody };
