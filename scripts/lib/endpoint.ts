/**
 * Custom AWS endpoints (`--endpoint`, `AWS_ENDPOINT_URL*`) for LocalStack and the local servers: one
 * check for every script.
 */
import { InputError } from '../../lib/errors';

/**
 * Parses an endpoint URL; it must be http:// or https://.
 * @param source what the value came from, quoted in errors (`--endpoint`, `AWS_ENDPOINT_URL`, ...).
 * @param example an endpoint to suggest, e.g. the default port of the matching local server.
 * @throws InputError naming the source, the value and the fix.
 */
export function parseEndpoint(raw: string, source = '--endpoint', example = 'http://127.0.0.1:4566'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${source} '${raw}' is not a URL; give one such as ${example}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`${source} '${raw}' must be an http:// or https:// URL, such as ${example}.`);
  }
  return url;
}

/** Checks an optional `--endpoint` value and returns it unchanged. */
export function validateEndpoint(endpoint: string | undefined, example?: string): string | undefined {
  if (endpoint === undefined) return undefined;
  parseEndpoint(endpoint, '--endpoint', example);
  return endpoint;
}
