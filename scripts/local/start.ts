/**
 * Wiring of `npm run local`: the local stack (local/edge/local-stack.ts) plus the local CloudFront API
 * endpoint (local/cloudfront-endpoint), whose invalidations are applied to the edge's caches.
 */
import { request } from 'node:http';
import { InputError } from '../../lib/errors';
import type { Plan } from '../../lib/plan';
import { startCloudFrontEndpoint, type CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import type { EdgeLogFormat } from '../../local/edge/edge-log';
import { startLocalStack, type LocalStack } from '../../local/edge/local-stack';

export interface LocalSettings {
  readonly plan: Plan;
  readonly pops: readonly string[];
  readonly edgePort: number;
  readonly s3Port: number;
  readonly apiPort: number;
  readonly cloudfrontPort: number;
  readonly logDir: string;
  /** @default 'v1' */
  readonly logFormat?: EdgeLogFormat;
  readonly s3Directory: string;
  readonly s3Endpoint?: string;
  readonly seed: boolean;
  readonly capacityBytes: number;
  readonly cacheTagHeader?: string;
  readonly enforceHttps: boolean;
}

export interface RunningLocal {
  readonly stack: LocalStack;
  readonly cloudfront: CloudFrontEndpoint;
  readonly logDir: string;
  close(): Promise<void>;
}

/** Fails with a clear InputError when an S3 endpoint does not answer. */
export function probeS3Endpoint(endpoint: string, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const u = new URL(endpoint);
    const req = request({ hostname: u.hostname, port: u.port, path: '/', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve();
    });
    const fail = (why: string) => reject(new InputError(`--s3-endpoint ${endpoint} is not reachable (${why}); start LocalStack (or drop --s3-endpoint to use the built-in s3rver).`));
    req.on('timeout', () => { req.destroy(); fail(`no answer within ${timeoutMs} ms`); });
    req.on('error', (e) => fail(e.message));
    req.end();
  });
}

export async function startEverything(s: LocalSettings): Promise<RunningLocal> {
  const stack = await startLocalStack({
    plan: s.plan,
    pops: s.pops,
    edgePort: s.edgePort,
    s3Port: s.s3Port,
    apiPort: s.apiPort,
    s3Directory: s.s3Directory,
    ...(s.s3Endpoint !== undefined ? { s3Endpoint: s.s3Endpoint } : {}),
    seed: s.seed,
    edge: {
      logDir: s.logDir,
      logFormat: s.logFormat ?? 'v1',
      popCapacityBytes: s.capacityBytes,
      regionalCapacityBytes: s.capacityBytes * 4,
      assumeHttps: !s.enforceHttps,
      ...(s.cacheTagHeader !== undefined ? { cacheTagHeader: s.cacheTagHeader } : {}),
    },
  });
  let cloudfront: CloudFrontEndpoint;
  try {
    const id = stack.model.distributionId;
    cloudfront = await startCloudFrontEndpoint({ port: s.cloudfrontPort, distributions: { [id]: { tagInvalidation: stack.model.cacheTagHeader !== undefined || s.cacheTagHeader !== undefined } } });
    cloudfront.registerCache(id, stack.edge);
  } catch (e) {
    await stack.close();
    throw e;
  }
  return {
    stack, cloudfront, logDir: s.logDir,
    async close() {
      await cloudfront.close().catch(() => undefined);
      await stack.close();
    },
  };
}

/** The table, hints and JSON printed once the stack is up. */
export function describeLocalStack(r: RunningLocal): { rows: string[][]; hints: string[]; json: Record<string, unknown> } {
  const { stack, cloudfront } = r;
  const first = stack.edges[0]!;
  const rows = [
    ...stack.edges.map((e) => [`edge ${e.pop}`, e.url]),
    ['S3 origins', `${stack.s3Endpoint} (${Object.values(stack.buckets).join(', ')})`],
    ['metadata/API origin', stack.api.url],
    ...(stack.imageFallback ? [['images fallback origin', `${stack.imageFallback.url} (function URL handler of functions/image-fallback)`]] : []),
    ['CloudFront API', `${cloudfront.endpoint} (distribution ${stack.model.distributionId})`],
    ['access logs', r.logDir],
  ];
  const hints = [
    `curl -si ${first.url}/static/app.js -H 'Accept-Encoding: br, gzip' | grep -iE 'x-cache|age|content-encoding'`,
    `AWS_ENDPOINT_URL_CLOUDFRONT=${cloudfront.endpoint} npm run invalidate -- --plan plan.json /static/app.js`,
    `npm run warm -- --plan plan.json --edges ${stack.edges.map((e) => e.url).join(',')} --paths hot.txt`,
  ];
  const json = {
    distributionId: stack.model.distributionId,
    domainName: stack.model.domainName,
    edges: stack.edges,
    s3Endpoint: stack.s3Endpoint,
    buckets: stack.buckets,
    apiOrigin: stack.api.url,
    ...(stack.imageFallback ? { imageFallbackOrigin: stack.imageFallback.url } : {}),
    cloudfrontEndpoint: cloudfront.endpoint,
    logDir: r.logDir,
    seededObjects: stack.seeded,
  };
  return { rows, hints, json };
}
