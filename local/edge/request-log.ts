/**
 * The standard access-log record of one request (spec §11), from its context and the edge's answer;
 * access-log.ts formats and writes it.
 */
import type { DistributionModel } from '../../lib/distribution';
import type { AccessLogRecord } from './access-log';
import type { Outcome } from './outcome';
import type { RequestCtx } from './request-context';

/**
 * The record of a request answered with `status`; `scBytes` counts headers and body sent. Time taken
 * runs from the request's arrival to now, after the response was handed to the socket.
 */
export function accessLogRecord(ctx: RequestCtx, model: DistributionModel, plainHttp: boolean, status: number, o: Outcome, scBytes: number,
  contentType: string | undefined, contentLength: number, rangeStart: number | undefined, rangeEnd: number | undefined, country?: string): AccessLogRecord {
  const elapsed = performance.now() - ctx.t0;
  return {
    startMs: ctx.startMs,
    edgeLocation: ctx.pop,
    scBytes,
    clientIp: ctx.clientIp,
    clientPort: ctx.clientPort,
    method: ctx.method,
    distributionDomain: model.domainName,
    hostHeader: ctx.viewerHeaders.host ?? model.domainName,
    uriStem: ctx.rawPath,
    uriQuery: ctx.rawQuery,
    status,
    referer: ctx.viewerHeaders.referer,
    userAgent: ctx.viewerHeaders['user-agent'],
    resultType: o.resultType,
    responseResultType: o.resultType,
    detailedResultType: o.detailedType,
    requestId: ctx.requestId,
    protocol: plainHttp ? 'http' : 'https',
    protocolVersion: `HTTP/${ctx.httpVersion}`,
    csBytes: ctx.csBytes,
    // responses leave in one write, so the last byte goes when the first does
    timeTakenMs: elapsed,
    timeToFirstByteMs: elapsed,
    contentType,
    contentLength,
    rangeStart,
    rangeEnd,
    country,
  };
}
