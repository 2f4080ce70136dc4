/**
 * Parts of the local edge on their own: the LRU (local/edge/cache.ts) — which entries a byte-bounded
 * cache keeps after sequences of stores, uses and deletes, including using the most recent entry
 * again, which reorders nothing —, the request ids (local/edge/http.ts) and access-log lines formatted
 * one after another (local/edge/access-log.ts reuses the runs of fields that did not change).
 */
import { expect } from 'chai';
import { EdgeCache, type CacheEntry } from '../../local/edge/cache';
import { formatLogLine, STANDARD_LOG_FIELDS, type AccessLogRecord } from '../../local/edge/access-log';
import { newRequestId } from '../../local/edge/http';

function entry(key: string): CacheEntry {
  return { key, uri: `/${key}`, tags: [], status: 200, headers: {}, body: Buffer.alloc(0), storedAtMs: 0, expiresAtMs: 1, staleOnError: false, noRevalidation: false, isError: false, sizeBytes: 100 };
}

/** Operations: '+k' stores k, 'k' uses k, '-k' deletes k. Capacity: three entries. */
function run(ops: readonly string[]): { keys: string[]; evictions: number } {
  const c = new EdgeCache('test', 300);
  for (const op of ops) {
    if (op.startsWith('+')) c.set(entry(op.slice(1)));
    else if (op.startsWith('-')) c.delete(op.slice(1));
    else c.get(op);
  }
  return { keys: [...c.entries()].map((e) => e.key), evictions: c.evictions };
}

describe('local edge caches: LRU order', () => {
  const cases: [string, string[], string[], number][] = [
    ['evicts the least recently stored', ['+a', '+b', '+c', '+d'], ['b', 'c', 'd'], 1],
    ['a use protects an entry', ['+a', '+b', '+c', 'a', '+d'], ['c', 'a', 'd'], 1],
    ['using the most recent entry again changes nothing', ['+a', '+b', '+c', 'c', 'c', '+d'], ['b', 'c', 'd'], 1],
    ['after the most recent entry is deleted, using another one reorders', ['+a', '+b', '+c', 'c', '-c', 'a', '+d', '+e'], ['a', 'd', 'e'], 1],
    ['storing a key again makes it the most recent', ['+a', '+b', '+c', '+a', 'a', '+d'], ['c', 'a', 'd'], 1],
    ['a use of a missing key changes nothing', ['+a', '+b', 'z', '+c', '+d'], ['b', 'c', 'd'], 1],
  ];
  for (const [name, ops, keys, evictions] of cases) {
    it(name, () => expect(run(ops)).to.deep.equal({ keys, evictions }));
  }
});

describe('local edge: request ids', () => {
  it('are 54 URL-safe base64 characters and "==", all different across pool refills', () => {
    const ids = Array.from({ length: 1000 }, () => newRequestId());
    expect({ shapes: [...new Set(ids.map((id) => /^[A-Za-z0-9_-]{54}==$/.test(id)))], distinct: new Set(ids).size }).to.deep.equal({ shapes: [true], distinct: 1000 });
  });
});

describe('local edge: access-log lines in sequence', () => {
  const first: AccessLogRecord = {
    startMs: Date.UTC(2025, 10, 24, 12, 0, 1, 250), edgeLocation: 'IAD89-C1', scBytes: 10_912, clientIp: '127.0.0.1', clientPort: 40_001, method: 'GET',
    distributionDomain: 'd1.cloudfront.net', hostHeader: '127.0.0.1:8080', uriStem: '/static/a b.js', uriQuery: '', status: 200, referer: undefined, userAgent: 'curl/8.5',
    resultType: 'Hit', responseResultType: 'Hit', detailedResultType: 'Hit', requestId: 'id1==', protocol: 'https', protocolVersion: 'HTTP/1.1', csBytes: 80,
    timeTakenMs: 1.2345, timeToFirstByteMs: 1.2345, contentType: 'application/javascript', contentLength: 10_240,
  };
  const FIRST = '2025-11-24\t12:00:01\tIAD89-C1\t10912\t127.0.0.1\tGET\td1.cloudfront.net\t/static/a%20b.js\t200\t-\tcurl/8.5\t-\t-\tHit\tid1==\t127.0.0.1:8080\thttps\t80\t0.001\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tHit\tHTTP/1.1\t-\t-\t40001\t0.001\tHit\tapplication/javascript\t10240\t-\t-';
  /** The first line with some fields (by name) replaced. */
  const like = (changes: Record<string, string>) => FIRST.split('\t').map((v, i) => changes[STANDARD_LOG_FIELDS[i]!] ?? v).join('\t');
  // each line changes one thing from the line before
  const lines: [AccessLogRecord, string][] = [
    [first, FIRST],
    [{ ...first, requestId: 'id2==', scBytes: 10_913, timeTakenMs: 12, timeToFirstByteMs: 12 }, like({ 'x-edge-request-id': 'id2==', 'sc-bytes': '10913', 'time-taken': '0.012', 'time-to-first-byte': '0.012' })],
    [{ ...first, uriStem: '/static/c.js' }, like({ 'cs-uri-stem': '/static/c.js' })],
    [{ ...first, uriStem: '/static/c.js', hostHeader: 'localhost' }, like({ 'cs-uri-stem': '/static/c.js', 'x-host-header': 'localhost' })],
    [{ ...first, uriStem: '/static/c.js', hostHeader: 'localhost', protocol: 'http' }, like({ 'cs-uri-stem': '/static/c.js', 'x-host-header': 'localhost', 'cs-protocol': 'http', 'ssl-protocol': '-', 'ssl-cipher': '-' })],
    [{ ...first, uriStem: '/static/c.js', hostHeader: 'localhost', protocol: 'http', contentLength: 99 }, like({ 'cs-uri-stem': '/static/c.js', 'x-host-header': 'localhost', 'cs-protocol': 'http', 'ssl-protocol': '-', 'ssl-cipher': '-', 'sc-content-len': '99' })],
    [{ ...first, startMs: first.startMs + 1000 }, like({ time: '12:00:02' })],
  ];
  it('formats each line from its own fields, whatever came before', () => {
    expect(lines.map(([r]) => formatLogLine(r))).to.deep.equal(lines.map(([, l]) => l));
  });
});
