/**
 * Reads the simulator's input configuration: a media-cdn plan (`npm run plan -- --json f`) or a
 * `pulumi stack export` file, adapted to the plan's shape (deployment.resources → resources, the
 * stack resource's outputs → outputs, the AWS provider's region → config['aws:region']).
 */
import { InputError, show } from '../lib/errors';
import { parsePlan, PLAN_FORMAT_VERSION, type Plan, type PlanResource } from '../lib/plan';

interface ExportResource {
  urn?: string; type?: string; id?: string; parent?: string; custom?: boolean;
  inputs?: Record<string, unknown>; outputs?: Record<string, unknown>;
}

/** True when the JSON looks like `pulumi stack export` output. */
export function isStackExport(raw: unknown): boolean {
  const d = (raw as { deployment?: { resources?: unknown } } | null)?.deployment;
  return !!d && Array.isArray(d.resources);
}

/** Adapts `pulumi stack export` JSON to a Plan. @throws InputError when it is not one. */
export function planFromStackExport(raw: unknown, source: string): Plan {
  if (!isStackExport(raw)) {
    throw new InputError(`${source} is not a 'pulumi stack export' file (no deployment.resources), got ${show(raw)}; write one with 'pulumi stack export --file state.json'.`);
  }
  const res = (raw as { deployment: { resources: ExportResource[] } }).deployment.resources;
  const stackRes = res.find((r) => r.type === 'pulumi:pulumi:Stack');
  const urn = stackRes?.urn ?? res[0]?.urn ?? '';
  const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  const provider = res.find((r) => typeof r.type === 'string' && r.type.startsWith('pulumi:providers:aws'));
  const region = (provider?.inputs?.region ?? provider?.outputs?.region) as string | undefined;
  const resources: PlanResource[] = res
    .filter((r) => typeof r.type === 'string' && typeof r.urn === 'string')
    .map((r) => ({
      urn: r.urn!, type: r.type!, name: r.urn!.split('::').pop() ?? '', parent: r.parent ?? '', custom: r.custom ?? true,
      inputs: r.inputs ?? r.outputs ?? {}, id: r.id ?? '',
    }));
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: m?.[2] ?? 'media-cdn',
    stack: m?.[1] ?? 'unknown',
    config: region ? { 'aws:region': region } : {},
    resources,
    outputs: stackRes?.outputs ?? {},
  };
}

/** A plan from parsed JSON: a media-cdn plan or a stack export. */
export function planFromJson(raw: unknown, source: string): Plan {
  return isStackExport(raw) ? planFromStackExport(raw, source) : parsePlan(raw, source);
}
