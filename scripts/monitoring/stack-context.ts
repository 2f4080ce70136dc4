/**
 * What the monitoring and cost scripts need besides the outputs: the stack's catalog (targets and
 * path patterns), alarm severity and price class — from the plan's config when there is a plan,
 * otherwise the built-in catalog checked against the outputs, and the command-line choices.
 */
import { resolveCatalog, type Catalog } from '../../lib/catalog';
import type { StackConfig } from '../../lib/config';
import { ALARM_SEVERITIES, PRICE_CLASSES } from '../../lib/config/schema';
import { InputError } from '../../lib/errors';
import type { Severity } from '../../lib/monitoring/alarms';
import type { StackOutputs } from '../../lib/outputs';
import type { Plan } from '../../lib/plan';
import { validateStackFileConfig } from '../../plan/stack-files';

export interface StackContext {
  readonly stack: string;
  readonly catalog: Catalog;
  readonly severity: Severity;
  readonly priceClass: string;
  /** The validated stack config, when the source was a plan. */
  readonly config?: StackConfig;
}

export interface ContextOverrides {
  readonly severity?: string;
  readonly priceClass?: string;
}

function pick<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(`--${flag} '${value}' is not one of ${allowed.join(', ')}.`);
  return value as T;
}

/** @throws InputError when an outputs file disagrees with the built-in catalog, or a flag is invalid. */
/** A plan, or stack outputs, and where they came from (a `StackSource`, or a plan alone). */
export interface ContextSource {
  readonly plan?: Plan;
  readonly outputs?: StackOutputs;
  readonly label: string;
}

export async function stackContext(source: ContextSource, over: ContextOverrides = {}): Promise<StackContext> {
  const severity = pick('severity', over.severity, ALARM_SEVERITIES);
  const priceClass = pick('price-class', over.priceClass, PRICE_CLASSES);
  if (source.plan) {
    const config = validateStackFileConfig(source.plan.stack, source.plan.config);
    return { stack: config.stack, catalog: config.catalog, severity: severity ?? config.alarmSeverity, priceClass: priceClass ?? config.priceClass, config };
  }
  const catalog = resolveCatalog();
  const mismatched = catalog.types.filter((t) => {
    const out = source.outputs?.contentTypes?.[t.name];
    const patterns = t.routes.flatMap((r) => r.pathPatterns);
    return !out || JSON.stringify([...out.pathPatterns].sort()) !== JSON.stringify([...patterns].sort());
  });
  if (mismatched.length > 0) {
    throw new InputError(`the stack in ${source.label} overrides the catalog's path patterns of ${mismatched.map((t) => t.name).join(', ')}, which an outputs file does not carry; use --stack <name> or --plan <file> instead of --outputs.`);
  }
  return { stack: source.label, catalog, severity: severity ?? 'critical', priceClass: priceClass ?? 'PriceClass_All' };
}
