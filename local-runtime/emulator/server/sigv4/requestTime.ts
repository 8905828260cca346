import { formatAmzDate, parseAmzDate } from './amzDate.js';
import { incompleteSignature } from './signatureErrors.js';

interface RequestTime {
  /** Basic format, as signed: `20150830T123600Z`. */
  readonly amzDate: string;
  readonly epochMillis: number;
}

/**
 * The time a request claims to have been signed at: `X-Amz-Date` (ISO-8601 basic format, what SDKs send), else
 * the HTTP `Date` header, which SigV4 also allows. A malformed value is an `IncompleteSignatureException` with
 * AWS's wording.
 */
const requestTime = (amzDateHeader: string | undefined, dateHeader: string | undefined): RequestTime => {
  if (amzDateHeader !== undefined) {
    const epochMillis = parseAmzDate(amzDateHeader);
    if (epochMillis === undefined) throw badDate(amzDateHeader);
    return { amzDate: amzDateHeader, epochMillis };
  }
  const epochMillis = dateHeader === undefined ? Number.NaN : Date.parse(dateHeader);
  if (Number.isNaN(epochMillis)) throw badDate(dateHeader ?? '');
  return { amzDate: formatAmzDate(epochMillis), epochMillis };
};

const badDate = (value: string) =>
  incompleteSignature(
    `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  );

export type { RequestTime };
export { requestTime };
