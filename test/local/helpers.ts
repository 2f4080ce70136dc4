/**
 * Helpers of the local-edge tests: a staging plan whose trusted key group holds a key pair generated
 * for the test run, and a tiny HTTP client that sends exactly the headers given (no implicit
 * Accept-Encoding, no decompression) and returns the raw answer.
 */
import { generateKeyPairSync } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Plan } from '../../lib/plan';
import { readStackConfig } from '../../plan/stack-files';
import { buildPlanSerially } from '../helpers/plan';

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request with exactly these headers (the body is read raw, never decompressed). */
export function send(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const u = new URL(base);
    const req = httpRequest({ hostname: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer from ${base}${path} within 15 s`)));
    req.end(opts.body);
  });
}

export interface TestKeys {
  readonly publicKey: string;
  readonly privateKey: string;
}

let keys: TestKeys | undefined;

/** An RSA 2048 key pair, generated once per test run. */
export function testKeys(): TestKeys {
  keys ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return keys;
}

let plan: Promise<Plan> | undefined;

/** The staging plan with the test key pair's public key in the trusted key group. */
export function stagingPlanWithTestKey(): Promise<Plan> {
  plan ??= buildPlanSerially({ stack: 'staging', config: { ...readStackConfig('staging'), 'media-cdn:signingPublicKeyPem': testKeys().publicKey } });
  return plan;
}

/** The id of the plan's signing public key (the Key-Pair-Id of signed URLs). */
export function keyPairIdOf(p: Plan): string {
  const k = p.resources.find((r) => r.type === 'aws:cloudfront/publicKey:PublicKey');
  if (!k) throw new Error('the plan has no PublicKey');
  return k.id;
}

/** A compact view of an answer for table assertions. */
export function summary(a: Answer): { status: number; xCache: string | undefined; age: string | undefined; encoding: string | undefined } {
  return {
    status: a.status,
    xCache: a.headers['x-cache'] as string | undefined,
    age: a.headers.age,
    encoding: a.headers['content-encoding'],
  };
}
