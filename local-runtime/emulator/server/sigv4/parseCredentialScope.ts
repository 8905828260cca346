import { incompleteSignature, invalidSignature } from './signatureErrors.js';

/** `AKID/20150830/us-east-1/dynamodb/aws4_request`, read. */
interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  /** `date/region/service/aws4_request`: what the string to sign names. */
  readonly scope: string;
}

/** Both DynamoDB and DynamoDB Streams sign with the service name `dynamodb` (the signing name in both
 * services' models;
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html). */
const DYNAMODB = 'dynamodb';
/** A region usable as a namespace and in ARNs; real names (`us-east-1`, `eusc-de-east-1`) all match. */
const REGION = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * Reads and checks the credential scope against the request time, in AWS's order and wording: the element
 * count (`IncompleteSignatureException`, trailing slashes ignored), then region, service, terminator and date,
 * every failing one in a single `InvalidSignatureException`.
 *
 * @param amzDate - the request time in basic format (`20150830T123600Z`)
 * @param expectedService - the signing name the scope must name
 */
const parseCredentialScope = (
  credential: string,
  amzDate: string,
  expectedService = DYNAMODB,
): CredentialScope => {
  const elements = credential.replace(/\/+$/, '').split('/');
  if (elements.length !== 5) {
    throw incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = elements as [
    string,
    string,
    string,
    string,
    string,
  ];
  const problems: string[] = [];
  if (!REGION.test(region)) problems.push(`Credential should be scoped to a valid region, not '${region}'.`);
  if (service !== expectedService)
    problems.push(`Credential should be scoped to correct service: '${expectedService}'.`);
  if (terminator !== 'aws4_request')
    problems.push(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
    );
  if (date !== amzDate.slice(0, 8)) {
    problems.push(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (problems.length > 0) throw invalidSignature(problems.join(' '));
  return { accessKeyId, date, region, service, scope: `${date}/${region}/${service}/${terminator}` };
};

export type { CredentialScope };
export { DYNAMODB, parseCredentialScope };
