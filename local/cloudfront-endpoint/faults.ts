import { mulberry32 } from '../../lib/random';
/**
 * Faults the local CloudFront endpoint injects on demand, as CloudFront produces them (spec §8.3,
 * §15.2): throttling and the in-progress quota (HTTP 400), 500 and 503, slow answers, a reset
 * connection, and "created, then failed" (the invalidation exists but the client sees a 500 —
 * the case CallerReference idempotency exists for).
 */

export type Operation = 'CreateInvalidation' | 'GetInvalidation' | 'ListInvalidations';

export type FaultKind =
  | 'throttling'
  | 'too-many-invalidations'
  | 'internal-error'
  | 'service-unavailable'
  /** Answer normally after `slowMs` (the work is done first, so a client timeout retries a completed call). */
  | 'slow'
  /** Close the connection without answering. */
  | 'reset'
  /** CreateInvalidation only: create the invalidation, then answer 500. */
  | 'create-then-fail';

export const ALL_FAULT_KINDS: readonly FaultKind[] = ['throttling', 'too-many-invalidations', 'internal-error', 'service-unavailable', 'slow', 'reset', 'create-then-fail'];

export interface FaultPlan {
  /** Probability that a call gets a fault, 0–1. */
  readonly rate: number;
  /** Faults to pick from, uniformly (list a kind twice to weight it). */
  readonly kinds: readonly FaultKind[];
  /** Other kinds for some operations (e.g. ambiguous outcomes for CreateInvalidation only). */
  readonly kindsByOperation?: Partial<Record<Operation, readonly FaultKind[]>>;
  /** Operations affected. @default all */
  readonly operations?: readonly Operation[];
  /** Delay of a `slow` answer, ms. @default 2000 */
  readonly slowMs?: number;
  /** Seed of the choice, for reproducible runs. @default 1 */
  readonly seed?: number;
}

/** The error each fault answers with. */
export const FAULT_ERRORS: Readonly<Record<Exclude<FaultKind, 'slow' | 'reset'>, { code: string; status: number; message: string }>> = Object.freeze({
  throttling: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  'too-many-invalidations': { code: 'TooManyInvalidationsInProgress', status: 400, message: 'Processing your request will cause you to exceed the maximum number of in-progress invalidations.' },
  'internal-error': { code: 'InternalError', status: 500, message: 'We encountered an internal error. Please try again.' },
  'service-unavailable': { code: 'ServiceUnavailable', status: 503, message: 'Service Unavailable' },
  'create-then-fail': { code: 'InternalError', status: 500, message: 'We encountered an internal error. Please try again.' },
});

/** mulberry32: a small seeded PRNG so fault sequences are reproducible. */
export const seededRandom = mulberry32;

/** Decides, call by call, which fault (if any) to inject: one-off faults first, then the plan. */
export class FaultInjector {
  private plan: FaultPlan | undefined;
  private random: () => number = seededRandom(1);
  private readonly once: { kind: FaultKind; operation?: Operation }[] = [];
  readonly injected: Record<FaultKind, number> = { throttling: 0, 'too-many-invalidations': 0, 'internal-error': 0, 'service-unavailable': 0, slow: 0, reset: 0, 'create-then-fail': 0 };

  setPlan(plan: FaultPlan | undefined): void {
    if (plan) {
      if (!(plan.rate >= 0 && plan.rate <= 1)) throw new RangeError(`fault rate must be between 0 and 1, got ${plan.rate}`);
      if (plan.kinds.length === 0) throw new RangeError('a fault plan needs at least one kind');
    }
    this.plan = plan;
    this.random = seededRandom(plan?.seed ?? 1);
  }

  /** Injects `kind` into the next call (of `operation`, if given). */
  injectOnce(kind: FaultKind, operation?: Operation): void {
    this.once.push(operation ? { kind, operation } : { kind });
  }

  get slowMs(): number {
    return this.plan?.slowMs ?? 2000;
  }

  next(operation: Operation): FaultKind | undefined {
    const i = this.once.findIndex((f) => f.operation === undefined || f.operation === operation);
    let kind: FaultKind | undefined;
    if (i >= 0) kind = this.once.splice(i, 1)[0]!.kind;
    else if (this.plan && (this.plan.operations === undefined || this.plan.operations.includes(operation)) && this.random() < this.plan.rate) {
      const kinds = this.plan.kindsByOperation?.[operation] ?? this.plan.kinds;
      kind = kinds[Math.floor(this.random() * kinds.length)]!;
    }
    if (kind === 'create-then-fail' && operation !== 'CreateInvalidation') kind = 'internal-error';
    if (kind) this.injected[kind]++;
    return kind;
  }
}
