import { formatAmzDate } from './amzDate.js';
import { invalidSignature } from './signatureErrors.js';

/** How far a request's time may be from the server's, either way. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * Refuses a request signed more than 15 minutes before or after `now` (the emulator's injected clock), with
 * AWS's wording. A signed request thus cannot be replayed later, and a client with a wrong clock is told by
 * how much; SDKs correct their clock from the response's `Date` header and retry.
 */
const checkRequestTime = (requestTime: number, now: number): void => {
  const request = formatAmzDate(requestTime);
  if (requestTime < now - MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature expired: ${request} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`,
    );
  }
  if (requestTime > now + MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature not yet current: ${request} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
    );
  }
};

export { checkRequestTime, MAX_SKEW_MS };
