/**
 * The origin secret header as plain data: the custom origins (metadata, API) accept only requests that
 * carry it, and CloudFront adds it to every request it sends them, so WAF, rate limits and geo
 * restriction cannot be bypassed by calling the origins directly. The value lives in AWS Secrets
 * Manager; the origin-side check is documented in docs/deployment.md.
 */

/** Name of the Secrets Manager secret holding the header value of a stack. */
export function originSecretName(stack: string): string {
  return `media-cdn/${stack}/origin-verify`;
}

/** Length of a generated secret: 48 characters of letters and digits (≈ 285 bits). */
export const ORIGIN_SECRET_LENGTH = 48;

/**
 * `aws.secretsmanager.getRandomPassword` arguments: letters and digits only, so the value is a valid
 * header value and WAF byte match needs no escaping.
 */
export const ORIGIN_SECRET_PASSWORD = Object.freeze({ passwordLength: ORIGIN_SECRET_LENGTH, excludePunctuation: true, includeSpace: false });

/** `customHeaders` of a custom origin: the secret header. */
export function originSecretHeaders<T>(headerName: string, value: T) {
  return [{ name: headerName, value }];
}

/** The Region of an Application Load Balancer from its ARN. */
export function regionOfArn(arn: string): string {
  const region = arn.split(':')[3];
  if (!region) throw new Error(`'${arn}' is not an ARN with a Region`);
  return region;
}
