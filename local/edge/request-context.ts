/**
 * The state of one request as it goes through the local edge's pipeline: what the viewer sent, and
 * what the pipeline derives from it (the behavior, the request after the viewer-request function, the
 * cache key).
 */
import type { OriginSelection } from '../../lib/images/edge-runtime';
import type { ModelBehavior } from '../../lib/distribution';

export interface RequestCtx {
  readonly startMs: number;
  readonly t0: number;
  readonly pop: string;
  readonly requestId: string;
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly viewerHeaders: Record<string, string>;
  readonly clientIp: string;
  readonly clientPort: number;
  readonly httpVersion: string;
  readonly csBytes: number;
  behavior?: ModelBehavior;
  uri: string;
  query: [string, string][];
  headers: Record<string, string>;
  cookies: [string, string][];
  key?: string;
  keyUri?: string;
  /** The origin the viewer-request function selected (cf.selectRequestOriginById / createRequestOriginGroup), if any. */
  origin?: OriginSelection;
}
