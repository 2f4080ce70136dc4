/**
 * A small HTTP server on 127.0.0.1 that speaks the AWS JSON protocols (awsJson1_0 / awsJson1_1):
 * `POST /` with `X-Amz-Target: <prefix>.<Operation>` and a JSON body, answered by a handler per
 * operation. The real SDK clients talk to it with `endpoint: server.endpoint` and static fake
 * credentials (signatures are not checked). Errors follow the protocol: status 4xx/5xx,
 * `x-amzn-errortype` and `{"__type", "message"}`, plus `x-amzn-query-error` for services that are
 * awsQuery-compatible (CloudWatch), from which the SDK reads the error code.
 *
 * Protocol: https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from '../http';

/** An error the server answers with (an AWS error code and HTTP status). */
export class AwsServiceError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
    this.name = 'AwsServiceError';
  }
}

export interface HandlerContext {
  readonly operation: string;
  /** 1-based count of calls to this operation so far, this one included. */
  readonly call: number;
}

/**
 * One operation. A handler declares the input shape it reads (`(input: { queryId: string }) => ...`):
 * the server passes it the parsed JSON body the SDK client sent, which it trusts to have that shape.
 */
export type Handler = (input: never, ctx: HandlerContext) => unknown;

/** One JSON service served at the endpoint. */
export interface AwsJsonService {
  /** Target prefix: `GraniteServiceVersion20100801` (CloudWatch), `Logs_20140328`, `AWSInsightsIndexService` (Cost Explorer). */
  readonly targetPrefix: string;
  readonly jsonVersion: '1.0' | '1.1';
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Also send `x-amzn-query-error: <code>;Sender` (awsQuery-compatible services such as CloudWatch). */
  readonly queryCompatible?: boolean;
}

export interface AwsJsonServerOptions {
  /** Services told apart by their X-Amz-Target prefix, so one endpoint can stand in for several (as LocalStack does). */
  readonly services: readonly AwsJsonService[];
  /** Requests without X-Amz-Target (REST protocols such as CloudFront's); default: 404. */
  readonly fallback?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Largest request body accepted, bytes. @default 1 MiB */
  readonly maxBodyBytes?: number;
  /** Port; 0 picks a free one. @default 0 */
  readonly port?: number;
}

export interface RecordedCall {
  readonly operation: string;
  readonly input: unknown;
  /** The error code answered, if any. */
  readonly error?: string;
}

export interface AwsJsonServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Every call received, in order. */
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}


/** Starts the server on 127.0.0.1. */
export async function startAwsJsonServer(opts: AwsJsonServerOptions): Promise<AwsJsonServer> {
  const calls: RecordedCall[] = [];
  const counts = new Map<string, number>();

  const send = (res: ServerResponse, service: AwsJsonService | undefined, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body ?? {});
    res.writeHead(status, {
      'content-type': `application/x-amz-json-${service?.jsonVersion ?? '1.1'}`, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': `req-${calls.length}`, ...headers,
    });
    res.end(text);
  };
  const sendError = (res: ServerResponse, service: AwsJsonService | undefined, e: AwsServiceError) => {
    const headers: Record<string, string> = { 'x-amzn-errortype': e.code };
    if (service?.queryCompatible) headers['x-amzn-query-error'] = `${e.code};${e.status >= 500 ? 'Receiver' : 'Sender'}`;
    send(res, service, e.status, { __type: e.code, message: e.message }, headers);
  };

  const server: Server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!target && opts.fallback) {
      opts.fallback(req, res);
      return;
    }
    const dot = target.lastIndexOf('.');
    const service = opts.services.find((s) => s.targetPrefix === target.slice(0, dot));
    void (async () => {
      try {
        if (req.method !== 'POST') throw new AwsServiceError('UnknownOperationException', `only POST is served, got ${req.method}`, 404);
        if (dot < 0 || !service) {
          throw new AwsServiceError('UnknownOperationException', `X-Amz-Target '${target}' is not <prefix>.<Operation> of ${opts.services.map((x) => x.targetPrefix).join(', ')}`);
        }
        const operation = target.slice(dot + 1);
        const text = await readBody(req, opts.maxBodyBytes ?? 1 << 20, () => new AwsServiceError('SerializationException', `request body over ${opts.maxBodyBytes ?? 1 << 20} bytes`, 413));
        let input: unknown;
        try {
          input = text === '' ? {} : JSON.parse(text);
        } catch {
          throw new AwsServiceError('SerializationException', 'request body is not JSON');
        }
        const handler = service.handlers[operation];
        const key = `${service.targetPrefix}.${operation}`;
        const call = (counts.get(key) ?? 0) + 1;
        counts.set(key, call);
        if (!handler) {
          calls.push({ operation, input, error: 'UnknownOperationException' });
          throw new AwsServiceError('UnknownOperationException', `operation ${operation} is not served here`);
        }
        try {
          const out = await handler(input as never, { operation, call });
          calls.push({ operation, input });
          send(res, service, 200, out);
        } catch (e) {
          calls.push({ operation, input, error: e instanceof AwsServiceError ? e.code : 'InternalFailure' });
          throw e;
        }
      } catch (e) {
        sendError(res, service, e instanceof AwsServiceError ? e : new AwsServiceError('InternalFailure', (e as Error).message, 500));
      }
    })();
  });

  const endpoint = await listenOnLoopback(server, opts.port);
  return {
    endpoint,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Wraps a handler so its first `n` calls fail with `error` (throttling, outages). */
export function failFirst(n: number, error: () => AwsServiceError, handler: Handler): Handler {
  return (input, ctx) => {
    if (ctx.call <= n) throw error();
    return handler(input, ctx);
  };
}

/** The throttling errors of each protocol family, as the services send them. */
export const THROTTLING = Object.freeze({
  /** CloudWatch (awsQuery-compatible): `Throttling`, HTTP 400. */
  cloudWatch: () => new AwsServiceError('Throttling', 'Rate exceeded', 400),
  /** CloudWatch Logs and Cost Explorer: `ThrottlingException` / `LimitExceededException`, HTTP 400. */
  json: () => new AwsServiceError('ThrottlingException', 'Rate exceeded', 400),
  costExplorer: () => new AwsServiceError('LimitExceededException', 'Rate exceeded', 400),
});

export const ACCESS_DENIED = (action: string) => () => new AwsServiceError('AccessDeniedException', `User: arn:aws:iam::123456789012:user/report is not authorized to perform: ${action}`, 400);
