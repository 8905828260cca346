const BASIC_FORMAT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Reads an ISO-8601 basic-format time (`20150830T123600Z`, the `X-Amz-Date` format) as epoch milliseconds;
 * `undefined` when it is not one, including impossible dates such as month 13.
 */
const parseAmzDate = (text: string): number | undefined => {
  const match = BASIC_FORMAT.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  return formatAmzDate(time) === text ? time : undefined;
};

/** Epoch milliseconds → `20150830T123600Z` (seconds, UTC), as AWS writes times in SigV4 messages. */
const formatAmzDate = (epochMillis: number): string =>
  new Date(epochMillis)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

export { formatAmzDate, parseAmzDate };
