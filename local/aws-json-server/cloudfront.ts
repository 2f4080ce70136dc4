/**
 * Fake CloudFront invalidation reads (REST-XML, API version 2020-05-31) as a fallback of the awsJson
 * server: ListInvalidations with Marker/MaxItems paging and GetInvalidation, enough for the cost
 * script to count billed paths. https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ListInvalidations.html
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

export interface FakeInvalidation {
  readonly id: string;
  /** ISO time. */
  readonly createTime: string;
  readonly status: 'InProgress' | 'Completed';
  readonly paths: readonly string[];
}

export interface CloudFrontData {
  /** Invalidations per distribution id, newest first (as CloudFront lists them). */
  readonly distributions: Readonly<Record<string, readonly FakeInvalidation[]>>;
  /** Answer every call with 403 AccessDenied. */
  readonly denied?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function xml(res: ServerResponse, status: number, body: string): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'req-cf' });
  res.end(text);
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  xml(res, status, `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>req-cf</RequestId></ErrorResponse>`);
}

/** A fallback handler for `startAwsJsonServer({ fallback })`. */
export function cloudFrontInvalidations(data: CloudFrontData): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/2020-05-31\/distribution\/([^/]+)\/invalidation(?:\/([^/]+))?$/.exec(url.pathname);
    if (req.method !== 'GET' || !m) return error(res, 404, 'NotFound', `no route ${req.method} ${url.pathname}`);
    if (data.denied) return error(res, 403, 'AccessDenied', 'User is not authorized to perform: cloudfront:ListInvalidations');
    const list = data.distributions[decodeURIComponent(m[1]!)];
    if (!list) return error(res, 404, 'NoSuchDistribution', 'The specified distribution does not exist.');
    if (m[2]) {
      const inv = list.find((i) => i.id === decodeURIComponent(m[2]!));
      if (!inv) return error(res, 404, 'NoSuchInvalidation', 'The specified invalidation does not exist.');
      return xml(res, 200, `<Invalidation xmlns="${NS}"><Id>${inv.id}</Id><Status>${inv.status}</Status><CreateTime>${inv.createTime}</CreateTime>` +
        `<InvalidationBatch><Paths><Quantity>${inv.paths.length}</Quantity><Items>${inv.paths.map((p) => `<Path>${esc(p)}</Path>`).join('')}</Items></Paths>` +
        `<CallerReference>ref-${inv.id}</CallerReference></InvalidationBatch></Invalidation>`);
    }
    const maxItems = Number(url.searchParams.get('MaxItems') ?? 100);
    const marker = url.searchParams.get('Marker') ?? '';
    const start = marker ? list.findIndex((i) => i.id === marker) + 1 : 0;
    const page = list.slice(start, start + maxItems);
    const truncated = start + maxItems < list.length;
    return xml(res, 200, `<InvalidationList xmlns="${NS}"><Marker>${esc(marker)}</Marker>${truncated ? `<NextMarker>${page[page.length - 1]!.id}</NextMarker>` : ''}` +
      `<MaxItems>${maxItems}</MaxItems><IsTruncated>${truncated}</IsTruncated><Quantity>${page.length}</Quantity>` +
      `<Items>${page.map((i) => `<InvalidationSummary><Id>${i.id}</Id><CreateTime>${i.createTime}</CreateTime><Status>${i.status}</Status></InvalidationSummary>`).join('')}</Items></InvalidationList>`);
  };
}
