/**
 * Looking things up among a stack's resources: the distributions, the resources a behavior refers
 * to by id (cache, origin request and response headers policies), buckets by name. Ids are matched
 * on `props.id`, which both the engine's resource outputs and the offline plan carry.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import type { Resource } from '@pulumi/pulumi';
import type { DistributionShape } from './shapes';

type ResourceClass = { new (...rest: any[]): Resource };

export function ofType(resources: readonly PolicyResource[], cls: ResourceClass): PolicyResource[] {
  return resources.filter((r) => r.isType(cls));
}

/** A distribution of the stack with its properties. */
export interface StackDistribution {
  readonly resource: PolicyResource;
  readonly props: DistributionShape;
  /** How messages name it: `distribution 'cdn-distribution'`. */
  readonly label: string;
}

export function distributionsOf(resources: readonly PolicyResource[]): StackDistribution[] {
  return ofType(resources, aws.cloudfront.Distribution).map((resource) => ({
    resource,
    props: resource.props as DistributionShape,
    label: `${resource.props.staging === true ? 'staging distribution' : 'distribution'} '${resource.name}'`,
  }));
}

/** The viewer-facing distribution(s): those that are not continuous-deployment staging copies. */
export function primaryDistributionsOf(resources: readonly PolicyResource[]): StackDistribution[] {
  return distributionsOf(resources).filter((d) => d.props.staging !== true);
}

/** The resource of this class whose id is `id`. */
export function findById(resources: readonly PolicyResource[], cls: ResourceClass, id: string | undefined): PolicyResource | undefined {
  if (!id) return undefined;
  return resources.find((r) => r.isType(cls) && r.props.id === id);
}

/** Whether an ARN names this distribution (the engine gives `arn`; the offline plan only the id). */
export function arnIsDistribution(arn: unknown, d: StackDistribution): boolean {
  if (typeof arn !== 'string' || arn === '') return false;
  if (d.props.arn !== undefined && d.props.arn === arn) return true;
  return d.props.id !== undefined && arn.endsWith(`:distribution/${d.props.id}`);
}

/** The name of an S3 bucket resource (`bucket` output, or its id, which is the name). */
export function bucketName(r: PolicyResource): string | undefined {
  const name = r.props.bucket ?? r.props.id;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** Resources of `cls` that configure the bucket named `name` (their `bucket` property). */
export function forBucket(resources: readonly PolicyResource[], cls: ResourceClass, name: string): PolicyResource[] {
  return ofType(resources, cls).filter((r) => r.props.bucket === name);
}

/** Parses a policy document given as JSON text or as an object; undefined when unreadable. */
export function policyDocument(value: unknown): { Statement?: unknown } | undefined {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as { Statement?: unknown };
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' ? value : undefined;
}
