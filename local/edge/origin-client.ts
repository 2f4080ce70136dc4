/**
 * Origin requests of the local edge: maps the plan's origins to local servers (S3 origins → buckets
 * of an S3-compatible endpoint such as s3rver or LocalStack, custom origins → the local API/metadata
 * origin), sends one request with a timeout and fails over inside origin groups (spec §9.2).
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { OriginSelection } from '../../lib/images/edge-runtime';
import type { DistributionModel, ModelOrigin, ModelOriginGroup } from '../../lib/distribution';

/** Where the plan's origins live locally. */
export interface LocalOrigins {
  /** Base URL of the S3-compatible endpoint serving every S3 origin's bucket, path-style. */
  readonly s3Endpoint?: string;
  /** Base URL per custom origin id (`metadata`, `api`). */
  readonly custom?: Readonly<Record<string, string>>;
  /** Base URL for custom origins not listed in `custom`. */
  readonly defaultCustom?: string;
}

export interface OriginRequest {
  readonly method: string;
  /** Path as sent to the origin (the viewer's, after the viewer-request function). */
  readonly path: string;
  /** Query string without `?`; empty for none. Dropped for S3 origins (S3 ignores non-subresource parameters). */
  readonly query: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

export interface OriginResponse {
  readonly originId: string;
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, ` (set-cookie kept as an array). */
  readonly headers: Record<string, string>;
  readonly setCookies: readonly string[];
  readonly body: Buffer;
  /** Set when no response came back: the edge answers 502 (connect) or 504 (timeout) (spec §3.5). */
  readonly failure?: 'connect' | 'timeout';
  /** Set when this is an origin group's secondary answering: the primary that failed first (spec §9.2). */
  readonly failedOverFrom?: string;
}

function s3Key(path: string): string {
  return path.replace(/^\/+/, '');
}

/** The URL of an origin request, or `undefined` when the origin has no local counterpart. */
export function originUrl(origin: ModelOrigin, locals: LocalOrigins, path: string, query: string): string | undefined {
  if (origin.kind === 's3') {
    if (!locals.s3Endpoint || !origin.bucket) return undefined;
    return `${locals.s3Endpoint.replace(/\/+$/, '')}/${origin.bucket}/${s3Key(path)}`;
  }
  const base = locals.custom?.[origin.id] ?? locals.defaultCustom;
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`;
}

function flatten(h: IncomingHttpHeaders): { headers: Record<string, string>; setCookies: string[] } {
  const headers: Record<string, string> = {};
  let setCookies: string[] = [];
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    if (k === 'set-cookie') setCookies = Array.isArray(v) ? v : [v];
    else headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return { headers, setCookies };
}

/** Sends one request to one origin; never throws (failures come back as `failure`). */
export function fetchOrigin(origin: ModelOrigin, locals: LocalOrigins, req: OriginRequest, timeoutMs: number, agent?: Agent): Promise<OriginResponse> {
  const url = originUrl(origin, locals, req.path, req.query);
  if (url === undefined) {
    return Promise.resolve({ originId: origin.id, status: 502, headers: {}, setCookies: [], body: Buffer.alloc(0), failure: 'connect' });
  }
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: OriginResponse) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const fail = (failure: 'connect' | 'timeout') =>
      done({ originId: origin.id, status: failure === 'timeout' ? 504 : 502, headers: {}, setCookies: [], body: Buffer.alloc(0), failure });
    const u = new URL(url);
    const headers: Record<string, string> = { ...req.headers, host: u.host };
    if (req.body && req.body.length > 0) headers['content-length'] = String(req.body.length);
    const r = httpRequest(
      { protocol: u.protocol, hostname: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method: req.method, headers, agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const { headers: h, setCookies } = flatten(res.headers);
          done({ originId: origin.id, status: res.statusCode ?? 502, headers: h, setCookies, body: Buffer.concat(chunks) });
        });
        res.on('error', () => fail('connect'));
        res.on('aborted', () => fail('connect'));
      },
    );
    r.on('timeout', () => {
      r.destroy();
      fail('timeout');
    });
    r.on('error', () => fail('connect'));
    r.end(req.body);
  });
}

/**
 * The edge's connection to its origins: keep-alive sockets, a timeout, and failover inside origin
 * groups — the secondary is tried when the primary fails to answer or answers a failover status, for
 * GET, HEAD and OPTIONS only; every request goes to the primary first (spec §9.2).
 */
export class OriginClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly model: DistributionModel, readonly locals: LocalOrigins, private readonly timeoutMs: number) {}

  /**
   * Fetches for a behavior's target, or for the origin the viewer-request function selected: an origin
   * by id (or a configured group), or a group it created (spec §9.2 failover either way).
   * `updateRequestOrigin` changes are not emulated: the behavior's target answers.
   */
  async fetchTarget(targetOriginId: string, req: OriginRequest, selection?: OriginSelection): Promise<OriginResponse> {
    if (selection?.kind === 'group') {
      return this.fetchGroup({ primaryOriginId: selection.originIds[0], secondaryOriginId: selection.originIds[1], statusCodes: selection.statusCodes }, req);
    }
    const id = selection?.kind === 'origin' ? selection.originId : targetOriginId;
    const group = this.model.originGroups.get(id);
    if (group) return this.fetchGroup(group, req);
    const origin = this.model.origins.get(id);
    if (!origin) return { originId: id, status: 502, headers: {}, setCookies: [], body: Buffer.alloc(0), failure: 'connect' };
    return fetchOrigin(origin, this.locals, req, this.timeoutMs, this.agent);
  }

  private async fetchGroup(group: Pick<ModelOriginGroup, 'primaryOriginId' | 'secondaryOriginId' | 'statusCodes'>, req: OriginRequest): Promise<OriginResponse> {
    const primary = this.model.origins.get(group.primaryOriginId);
    if (!primary) return { originId: group.primaryOriginId, status: 502, headers: {}, setCookies: [], body: Buffer.alloc(0), failure: 'connect' };
    const first = await fetchOrigin(primary, this.locals, req, this.timeoutMs, this.agent);
    const failoverMethod = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
    if (!failoverMethod) return first;
    if (first.failure === undefined && !group.statusCodes.includes(first.status)) return first;
    const secondary = this.model.origins.get(group.secondaryOriginId);
    if (!secondary) return first;
    return { ...(await fetchOrigin(secondary, this.locals, req, this.timeoutMs, this.agent)), failedOverFrom: primary.id };
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}
