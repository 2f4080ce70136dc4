/**
 * Where warming may send traffic and what it may ask for: only the stack's own domain (the
 * distribution's domain name or an alias) or a local edge on 127.0.0.1/localhost, and only paths of
 * that distribution. Everything else is bad input, refused before a request is sent.
 */
import { InputError, show } from '../errors';
import type { WarmTarget } from './variants';

/** A place warm requests go: a base URL and the Host header to send. */
export interface WarmEdge {
  /** e.g. `https://d111.cloudfront.net` or `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  readonly local: boolean;
  /** A label for reports (host:port). */
  readonly label: string;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Parses `--edges a,b` (or the default: the distribution's domain over HTTPS). Each edge is a URL or
 * a host[:port]; it must be the distribution's domain, one of its aliases, or 127.0.0.1/localhost.
 * @throws InputError naming every refused edge and what is allowed.
 */
export function parseWarmEdges(spec: string | undefined, domainName: string, aliases: readonly string[]): WarmEdge[] {
  const allowed = new Set([domainName, ...aliases].map((h) => h.toLowerCase()));
  const raw = spec === undefined ? [domainName] : spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const problems: string[] = [];
  const out: WarmEdge[] = [];
  if (raw.length === 0) problems.push(`--edges is empty; give the stack's domain (${domainName}) or local edges such as http://127.0.0.1:8080.`);
  for (const r of raw) {
    let url: URL;
    try {
      url = new URL(/^[a-z]+:\/\//i.test(r) ? r : `${LOCAL_HOSTS.has(r.split(':')[0]!) ? 'http' : 'https'}://${r}`);
    } catch {
      problems.push(`--edges: ${show(r)} is not a URL or host; use e.g. http://127.0.0.1:8080 or ${domainName}.`);
      continue;
    }
    const host = url.hostname.toLowerCase();
    const local = LOCAL_HOSTS.has(host) || LOCAL_HOSTS.has(`[${host}]`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push(`--edges: ${show(r)} uses ${url.protocol}; only http and https are allowed.`);
      continue;
    }
    if (!local && !allowed.has(host)) {
      problems.push(
        `--edges: ${show(r)} is neither this stack's distribution (${[domainName, ...aliases].join(', ')}) nor a local edge on 127.0.0.1/localhost; warming never sends traffic anywhere else.`,
      );
      continue;
    }
    if (url.pathname !== '/' && url.pathname !== '') {
      problems.push(`--edges: ${show(r)} has a path; give only scheme://host[:port].`);
      continue;
    }
    out.push({ baseUrl: `${url.protocol}//${url.host}`, local, label: url.host });
  }
  if (problems.length > 0) throw new InputError(problems);
  return out;
}

/**
 * Parses a paths file: one path per line (`/a/b.m3u8`, `/img.jpg?width=320`, or a full URL on the
 * stack's domain), optionally followed by whitespace and a weight; blank lines and lines starting with
 * `//` are skipped. Paths must start with `/`; URLs must be on the distribution's domain or an alias.
 * @throws InputError listing every bad line with its line number.
 */
export function parsePathList(text: string, source: string, domainName: string, aliases: readonly string[]): WarmTarget[] {
  const allowed = new Set([domainName, ...aliases].map((h) => h.toLowerCase()));
  const problems: string[] = [];
  const out: WarmTarget[] = [];
  text.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('//')) return;
    const where = `${source} line ${i + 1}`;
    const [first, weightText, ...rest] = trimmed.split(/\s+/);
    let pathAndQuery = first!;
    if (rest.length > 0) {
      problems.push(`${where}: ${show(trimmed)} has more than a path and a weight; write '<path> [weight]'.`);
      return;
    }
    if (/^[a-z]+:\/\//i.test(pathAndQuery)) {
      let url: URL;
      try {
        url = new URL(pathAndQuery);
      } catch {
        problems.push(`${where}: ${show(pathAndQuery)} is not a valid URL.`);
        return;
      }
      if (!allowed.has(url.hostname.toLowerCase())) {
        problems.push(`${where}: ${show(pathAndQuery)} is outside the distribution (its host is not ${[domainName, ...aliases].join(' or ')}); list paths of this stack only.`);
        return;
      }
      pathAndQuery = `${url.pathname}${url.search}`;
    }
    if (!pathAndQuery.startsWith('/')) {
      problems.push(`${where}: ${show(pathAndQuery)} must start with '/' (a path of the distribution, e.g. '/video/show/s01e01/master.m3u8').`);
      return;
    }
    let weight: number | undefined;
    if (weightText !== undefined) {
      weight = Number(weightText);
      if (!Number.isFinite(weight) || weight < 0) {
        problems.push(`${where}: weight ${show(weightText)} must be a non-negative number.`);
        return;
      }
    }
    const q = pathAndQuery.indexOf('?');
    out.push({
      path: q < 0 ? pathAndQuery : pathAndQuery.slice(0, q),
      ...(q >= 0 && q < pathAndQuery.length - 1 ? { query: pathAndQuery.slice(q + 1) } : {}),
      ...(weight !== undefined ? { weight } : {}),
      source: where,
    });
  });
  if (problems.length === 0 && out.length === 0) problems.push(`${source} lists no paths; write one path per line, e.g. '/static/app.js'.`);
  if (problems.length > 0) throw new InputError(problems);
  return out;
}
