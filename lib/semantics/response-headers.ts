/**
 * Response-header rules that the response headers policy builder, the local edge and the policy pack
 * share: which headers a policy may remove, and which headers carry comma-separated lists.
 */

/**
 * Headers a response headers policy cannot remove (CloudFront Developer Guide, "Understand response
 * headers policies", Remove headers). `*` ends a prefix. Not in spec/cloudfront-semantics.md;
 * taken from the guide.
 * Source: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html
 */
export const NON_REMOVABLE_RESPONSE_HEADERS: readonly string[] = Object.freeze([
  'Connection', 'Content-Encoding', 'Content-Length', 'Expect', 'Host', 'Keep-Alive', 'Proxy-Authenticate',
  'Proxy-Authorization', 'Proxy-Connection', 'Trailer', 'Transfer-Encoding', 'Upgrade', 'Via', 'Warning',
  'X-Accel-Buffering', 'X-Accel-Charset', 'X-Accel-Limit-Rate', 'X-Accel-Redirect', 'X-Amz-Cf-*', 'X-Amzn-Auth',
  'X-Amzn-Cf-Billing', 'X-Amzn-Cf-Id', 'X-Amzn-Cf-Xff', 'X-Amzn-ErrorType', 'X-Amzn-Fle-Profile', 'X-Amzn-Header-Count',
  'X-Amzn-Header-Order', 'X-Amzn-Lambda-Integration-Tag', 'X-Amzn-RequestId', 'X-Cache', 'X-Edge-*',
  'X-Forwarded-Proto', 'X-Real-IP',
]);

/** Whether a response headers policy may remove `header` (case-insensitive). */
export function isRemovableResponseHeader(header: string): boolean {
  const h = header.toLowerCase();
  return !NON_REMOVABLE_RESPONSE_HEADERS.some((n) => {
    const x = n.toLowerCase();
    return x.endsWith('*') ? h.startsWith(x.slice(0, -1)) : h === x;
  });
}

/**
 * Headers whose value is a comma-separated list (Fetch standard / Resource Timing): a list joined with
 * spaces is one malformed token, which browsers ignore. `*` ends a prefix.
 */
export const COMMA_LIST_HEADERS: readonly string[] = Object.freeze([
  'Timing-Allow-Origin', 'Access-Control-Allow-Headers', 'Access-Control-Allow-Methods', 'Access-Control-Expose-Headers',
  'Access-Control-Request-Headers', 'Vary', 'Cache-Control',
]);

export function isCommaListHeader(header: string): boolean {
  const h = header.toLowerCase();
  return COMMA_LIST_HEADERS.some((n) => n.toLowerCase() === h) || h.startsWith('access-control-allow-');
}

/**
 * The list items of a comma-separated header value that contain whitespace: `'https://a https://b'`
 * yields that one item (its two values were joined with a space instead of a comma).
 */
export function misjoinedListItems(value: string): string[] {
  return value.split(',').map((x) => x.trim()).filter((x) => /\s/.test(x));
}
