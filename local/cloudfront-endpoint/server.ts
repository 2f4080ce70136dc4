/**
 * A local CloudFront endpoint on 127.0.0.1 that speaks the REST-XML invalidation API (API version
 * 2020-05-31, spec §8.3, §15.2): CreateInvalidation, GetInvalidation and ListInvalidations; and the
 * distribution and continuous-deployment-policy calls of a staged rollout (distribution-api.ts). The real
 * `@aws-sdk/client-cloudfront` talks to it with `endpoint: server.endpoint` and fake credentials
 * (signatures are not checked). State and semantics are `InvalidationModel`; faults are
 * `FaultInjector`. A local edge registers its caches with `registerCache` (or listens with
 * `onInvalidation`) to have invalidations applied to them.
 *
 * API: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateInvalidation.html
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FAULT_ERRORS, FaultInjector, type FaultKind, type FaultPlan, type Operation } from './faults';
import { CloudFrontApiError, InvalidationModel, type DistributionSettings, type EndpointInvalidation, type InvalidationEvent, type InvalidationModelOptions, type InvalidationTarget } from './model';
import { buildXml, child, childrenNamed, parseXml, type XmlError } from './xml';
import { listenOnLoopback, readBody } from '../http';
import { distributionOperation, handleDistributionCall, type DistributionOperation } from './distribution-api';
import { DistributionModel, type DistributionModelOptions } from './distributions';

export const API_VERSION = '2020-05-31';

export interface CloudFrontEndpointOptions extends InvalidationModelOptions, DistributionModelOptions {
  /** Distributions that exist (others get NoSuchDistribution). */
  readonly distributions?: readonly string[] | Readonly<Record<string, DistributionSettings>>;
  /** Create a distribution on first use instead of answering NoSuchDistribution. @default false */
  readonly autoCreateDistributions?: boolean;
  /** Faults from the start. */
  readonly faults?: FaultPlan;
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Largest request body, bytes. @default 10 MiB */
  readonly maxBodyBytes?: number;
}

export interface EndpointCall {
  readonly operation: Operation | DistributionOperation | 'Unknown';
  readonly distributionId?: string;
  readonly status: number;
  readonly error?: string;
  readonly fault?: FaultKind;
}

export interface CloudFrontEndpoint {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly model: InvalidationModel;
  /** Distributions and continuous-deployment policies (the calls a staged rollout makes). */
  readonly distributions: DistributionModel;
  /** Every call, in order of arrival. */
  readonly calls: EndpointCall[];
  readonly faults: FaultInjector;
  addDistribution(id: string, settings?: DistributionSettings): void;
  setFaults(plan: FaultPlan | undefined): void;
  onInvalidation(listener: (e: InvalidationEvent) => void): () => void;
  onCompleted(listener: (i: EndpointInvalidation) => void): () => void;
  registerCache(distributionId: string, target: InvalidationTarget): () => void;
  close(): Promise<void>;
}


function invalidationXml(model: InvalidationModel, inv: EndpointInvalidation): string {
  return buildXml('Invalidation', {
    Id: inv.id,
    Status: model.statusOf(inv),
    CreateTime: inv.createTime.toISOString(),
    InvalidationBatch: {
      Paths: { Quantity: inv.items.length, Items: inv.items.map((p) => ({ Path: p })) },
      CallerReference: inv.callerReference,
    },
  });
}

/** Parses an InvalidationBatch body into the CallerReference and the items (spec §8.3). */
function parseBatch(body: string): { callerReference: string; items: string[] } {
  if (body.trim() === '') throw new CloudFrontApiError('MissingBody', 'The request body is empty; send an InvalidationBatch.');
  let root;
  try {
    root = parseXml(body);
  } catch (e) {
    throw new CloudFrontApiError('MalformedInput', `The request body is not valid XML: ${(e as XmlError).message}.`);
  }
  const paths = child(root, 'Paths');
  const quantityText = paths && child(paths, 'Quantity')?.text.trim();
  const itemsEl = paths && child(paths, 'Items');
  const items = itemsEl ? childrenNamed(itemsEl, 'Path').map((p) => p.text) : [];
  const callerReference = child(root, 'CallerReference')?.text ?? '';
  if (!paths || quantityText === undefined) throw new CloudFrontApiError('InvalidArgument', 'InvalidationBatch.Paths.Quantity is required.');
  const quantity = Number(quantityText);
  if (!Number.isInteger(quantity) || quantity !== items.length) {
    throw new CloudFrontApiError('InconsistentQuantities', `Paths.Quantity is ${quantityText} but Paths.Items has ${items.length} items.`);
  }
  return { callerReference, items };
}

/** Starts the endpoint on 127.0.0.1. */
export async function startCloudFrontEndpoint(opts: CloudFrontEndpointOptions = {}): Promise<CloudFrontEndpoint> {
  const model = new InvalidationModel(opts);
  const distributions = new DistributionModel(opts);
  const faults = new FaultInjector();
  faults.setPlan(opts.faults);
  const dists = opts.distributions ?? [];
  if (Array.isArray(dists)) for (const d of dists) model.addDistribution(d);
  else for (const [d, s] of Object.entries(dists as Record<string, DistributionSettings>)) model.addDistribution(d, s);
  const calls: EndpointCall[] = [];
  const prefix = `/${API_VERSION}/distribution/`;

  const send = (res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': randomUUID(), ...headers });
    res.end(xml);
  };
  const sendError = (res: ServerResponse, code: string, status: number, message: string) => {
    const xml = buildXml('ErrorResponse', { Error: { Type: status >= 500 ? 'Receiver' : 'Sender', Code: code, Message: message }, RequestId: randomUUID() });
    send(res, status, xml);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, record: (c: Omit<EndpointCall, 'status'> & { status?: number }) => void) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const segments = url.pathname.split('/').slice(2).map(decodeURIComponent);
    const distributionOp = url.pathname.startsWith(`/${API_VERSION}/`) ? distributionOperation(req.method ?? 'GET', segments) : undefined;
    if (distributionOp) {
      const body = req.method === 'POST' || req.method === 'PUT' ? await readBody(req, opts.maxBodyBytes ?? 10 << 20, () => new CloudFrontApiError('EntitySizeLimitExceeded', `The request body is over ${opts.maxBodyBytes ?? 10 << 20} bytes.`, 413), false) : '';
      const ifMatch = req.headers['if-match'];
      const call = { operation: distributionOp, ...(segments[0] === 'distribution' && segments[1] ? { distributionId: segments[1] } : {}) };
      try {
        const r = handleDistributionCall(distributionOp, { method: req.method ?? 'GET', segments, query: url.searchParams, ifMatch: Array.isArray(ifMatch) ? ifMatch.join(',') : ifMatch, body }, distributions, (d) => model.addDistribution(d.id));
        record({ ...call, status: r.status });
        return send(res, r.status, r.xml, r.headers);
      } catch (e) {
        const err = e instanceof CloudFrontApiError ? e : new CloudFrontApiError('InternalError', (e as Error).message, 500);
        record({ ...call, status: err.status, error: err.code });
        return sendError(res, err.code, err.status, err.message);
      }
    }
    if (!url.pathname.startsWith(prefix)) {
      record({ operation: 'Unknown', status: 404, error: 'UnknownOperation' });
      return sendError(res, 'InvalidArgument', 404, `No such operation: ${req.method} ${url.pathname}; this endpoint serves the ${API_VERSION} invalidation API only.`);
    }
    const rest = url.pathname.slice(prefix.length).split('/').map(decodeURIComponent);
    const [distributionId, segment, invalidationId] = rest;
    let operation: Operation | undefined;
    if (segment === 'invalidation' && rest.length === 2 && req.method === 'POST') operation = 'CreateInvalidation';
    else if (segment === 'invalidation' && rest.length === 2 && req.method === 'GET') operation = 'ListInvalidations';
    else if (segment === 'invalidation' && rest.length === 3 && req.method === 'GET') operation = 'GetInvalidation';
    if (!operation || !distributionId) {
      record({ operation: 'Unknown', status: 404, error: 'UnknownOperation' });
      return sendError(res, 'InvalidArgument', 404, `No such operation: ${req.method} ${url.pathname}.`);
    }
    const body = operation === 'CreateInvalidation' ? await readBody(req, opts.maxBodyBytes ?? 10 << 20, () => new CloudFrontApiError('BatchTooLarge', `The request body is over ${opts.maxBodyBytes ?? 10 << 20} bytes.`, 413), false) : '';
    model.sweep();
    if (opts.autoCreateDistributions) model.addDistribution(distributionId);
    const fault = faults.next(operation);
    const call = { operation, distributionId, ...(fault ? { fault } : {}) };
    if (fault === 'reset') {
      record({ ...call, status: 0 });
      req.socket.destroy();
      return;
    }
    if (fault && fault !== 'slow' && fault !== 'create-then-fail') {
      const e = FAULT_ERRORS[fault];
      record({ ...call, status: e.status, error: e.code });
      return sendError(res, e.code, e.status, e.message);
    }
    let status = 200;
    let xml: string;
    const headers: Record<string, string> = {};
    try {
      if (operation === 'CreateInvalidation') {
        const batch = parseBatch(body);
        const { invalidation } = model.create(distributionId, batch.callerReference, batch.items);
        status = 201;
        xml = invalidationXml(model, invalidation);
        headers.location = `https://cloudfront.amazonaws.com${prefix}${distributionId}/invalidation/${invalidation.id}`;
      } else if (operation === 'GetInvalidation') {
        xml = invalidationXml(model, model.get(distributionId, invalidationId!));
      } else {
        const marker = url.searchParams.get('Marker') ?? undefined;
        const maxRaw = url.searchParams.get('MaxItems');
        const maxItems = maxRaw === null ? 100 : Number(maxRaw);
        if (!Number.isInteger(maxItems) || maxItems < 1) throw new CloudFrontApiError('InvalidArgument', `MaxItems must be a positive integer, got '${maxRaw}'.`);
        const page = model.list(distributionId, marker, Math.min(maxItems, 100));
        xml = buildXml('InvalidationList', {
          Marker: marker ?? '',
          ...(page.nextMarker ? { NextMarker: page.nextMarker } : {}),
          MaxItems: maxItems,
          IsTruncated: page.isTruncated,
          Quantity: page.items.length,
          ...(page.items.length > 0 ? { Items: page.items.map((i) => ({ InvalidationSummary: { Id: i.id, CreateTime: i.createTime.toISOString(), Status: model.statusOf(i) } })) } : {}),
        });
      }
    } catch (e) {
      const err = e instanceof CloudFrontApiError ? e : new CloudFrontApiError('InternalError', (e as Error).message, 500);
      record({ ...call, status: err.status, error: err.code });
      return sendError(res, err.code, err.status, err.message);
    }
    if (fault === 'create-then-fail') {
      const e = FAULT_ERRORS['create-then-fail'];
      record({ ...call, status: e.status, error: e.code });
      return sendError(res, e.code, e.status, e.message);
    }
    record({ ...call, status });
    if (fault === 'slow') await new Promise((r) => setTimeout(r, faults.slowMs));
    send(res, status, xml, headers);
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    let recorded = false;
    const record = (c: Omit<EndpointCall, 'status'> & { status?: number }) => {
      if (recorded) return;
      recorded = true;
      calls.push({ ...c, status: c.status ?? 0 });
    };
    handle(req, res, record).catch((e: unknown) => {
      const err = e instanceof CloudFrontApiError ? e : new CloudFrontApiError('InternalError', String(e), 500);
      record({ operation: 'Unknown', status: err.status, error: err.code });
      sendError(res, err.code, err.status, err.message);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const endpoint = await listenOnLoopback(server, opts.port);
  return {
    endpoint,
    model,
    distributions,
    calls,
    faults,
    addDistribution: (id, settings) => model.addDistribution(id, settings),
    setFaults: (plan) => faults.setPlan(plan),
    onInvalidation: (l) => model.onInvalidation(l),
    onCompleted: (l) => model.onCompleted(l),
    registerCache: (d, t) => model.registerCache(d, t),
    close: () =>
      new Promise<void>((resolve) => {
        model.close();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
