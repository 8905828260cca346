import type { FuzzRequest } from './generateRequest.js';
import type { Outcome } from './sendRequest.js';

/**
 * The namespaces DynamoDB's errors use (`local-runtime/emulator/errors.ts`), plus the one its throttling answer
 * uses (`FaultInjector.ts`).
 */
const ERROR_TYPE =
  /^(com\.amazonaws\.dynamodb\.v20120810|com\.amazon\.coral\.validate|com\.amazon\.coral\.service|com\.amazon\.coral\.availability)#[A-Za-z]+$/;

/** A broken promise: what kind, and a short reason that groups equal failures. */
interface Violation {
  readonly kind: 'hang' | 'noAnswer' | 'status5xx' | 'errorShape' | 'successShape';
  readonly reason: string;
}

const header = (outcome: Extract<Outcome, { kind: 'answer' }>, name: string): string | undefined => {
  const value = outcome.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * DynamoDB's answers to requests that never reach an operation, which are not JSON: `GET /` is a health check,
 * any other method and an unknown content type get `404 <UnknownOperationException/>` as XML, a body over the
 * 16 MiB limit gets `413`, and a request that is not HTTP at all (an unknown method token, a head over 16 KiB)
 * gets `400` with `{"message": "Bad Request: …"}` before any protocol runs (server/headTooLarge.ts). These keep
 * their shape; everything else that is not 2xx must be a JSON error.
 */
const isTransportAnswer = (status: number, contentType: string, body: string): boolean =>
  (status === 404 && contentType.startsWith('text/xml') && body.trim() === '<UnknownOperationException/>') ||
  (status === 413 && /Request Entity Too Large/.test(body)) ||
  (status === 400 && contentType.startsWith('application/json') && /^\{"message":"Bad Request: /.test(body));

/**
 * The oracle for one answer: no hang, no 500, and every refusal in DynamoDB's error shape — a 4xx with an
 * `x-amzn-RequestId` header and a JSON body `{"__type": "<namespace>#<Name>", "message"|"Message": "…"}` (the
 * message may be absent, as for SerializationException; when present it is a string).
 */
const judgeOutcome = (request: FuzzRequest, outcome: Outcome): Violation[] => {
  if (outcome.kind === 'unsendable') return [];
  if (outcome.kind === 'timeout') return [{ kind: 'hang', reason: 'no answer before the timeout' }];
  if (outcome.kind === 'connectionError') {
    return request.mayDropConnection ? [] : [{ kind: 'noAnswer', reason: outcome.message }];
  }
  const { status } = outcome;
  const text = outcome.body.toString('utf8');
  const contentType = header(outcome, 'content-type') ?? '';
  if (status >= 500) return [{ kind: 'status5xx', reason: `${status} ${typeOf(text) ?? text.slice(0, 60)}` }];
  if (status >= 200 && status < 300) {
    if (request.method === 'POST' && /json/.test(contentType)) {
      try {
        if (!isObject(JSON.parse(text)))
          return [{ kind: 'successShape', reason: 'body is not a JSON object' }];
      } catch {
        return [{ kind: 'successShape', reason: 'body is not JSON' }];
      }
    }
    return [];
  }
  const reasons: string[] = [];
  if (status < 400) reasons.push('not 4xx');
  if (request.method !== 'HEAD' && !isTransportAnswer(status, contentType, text)) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      reasons.push(text === '' ? 'empty body' : 'body not JSON');
    }
    if (body !== undefined) {
      if (!isObject(body) || typeof body.__type !== 'string') {
        reasons.push(
          `no __type (${isObject(body) ? Object.keys(body).join(',').slice(0, 40) : typeof body})`,
        );
      } else if (!ERROR_TYPE.test(body.__type)) {
        reasons.push(`__type ${body.__type.slice(0, 80)}`);
      } else {
        const message = body.message ?? body.Message;
        if (message !== undefined && typeof message !== 'string') reasons.push('message is not a string');
      }
    }
  }
  if (header(outcome, 'x-amzn-requestid') === undefined) reasons.push('no x-amzn-RequestId');
  return reasons.length === 0 ? [] : [{ kind: 'errorShape', reason: `${status}: ${reasons.join(', ')}` }];
};

/** The `__type` of an error body, if it has one. */
const typeOf = (text: string): string | undefined => {
  try {
    const body: unknown = JSON.parse(text);
    return isObject(body) && typeof body.__type === 'string' ? body.__type : undefined;
  } catch {
    return undefined;
  }
};

export type { Violation };
export { judgeOutcome, typeOf };
