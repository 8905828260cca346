import type { EmulatorCredential } from './AccessKeys.js';

/**
 * Reads access keys written as `AKID:SECRET[:ACCOUNT]`, several separated by commas or spaces: the form of
 * `--credentials` and `EDDY_CREDENTIALS`. AWS access key ids and secrets never contain `:`, `,` or spaces.
 *
 * @throws Error - naming the entry that is not `AKID:SECRET` or `AKID:SECRET:ACCOUNT` (12 digits); the
 *   secret is never repeated in the message
 */
const parseCredentials = (text: string): EmulatorCredential[] =>
  text
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [accessKeyId = '', secretAccessKey = '', accountId, ...extra] = entry.split(':');
      if (accessKeyId === '' || secretAccessKey === '' || extra.length > 0 || accountId === '') {
        throw new Error(`credentials '${accessKeyId}:…' must be AKID:SECRET or AKID:SECRET:ACCOUNT`);
      }
      if (accountId !== undefined && !/^\d{12}$/.test(accountId))
        throw new Error(`credentials '${accessKeyId}:…:${accountId}': the account id must be 12 digits`);
      return { accessKeyId, secretAccessKey, ...(accountId === undefined ? {} : { accountId }) };
    });

export { parseCredentials };
