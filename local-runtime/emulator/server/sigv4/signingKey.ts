import { createHmac } from 'node:crypto';

const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * The SigV4 signing key: `AWS4` + secret, then an HMAC-SHA256 chain over the scope's date, region, service and
 * `aws4_request`. The secret never signs anything directly, so a key is only good for one day, region and service.
 */
const signingKey = (secretAccessKey: string, date: string, region: string, service: string): Buffer =>
  hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');

/** The hex signature of a string to sign under a signing key. */
const signWithKey = (key: Buffer, stringToSign: string): string =>
  createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');

export { signingKey, signWithKey };
