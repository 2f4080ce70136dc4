/**
 * Rules for the S3 buckets of the program: public access blocked, default encryption, versioning of
 * the buckets distributions read from, and bucket policies that are not public and require TLS.
 */
import * as aws from '@pulumi/aws';
import { FALLBACK_SETTINGS_VARIABLE } from '../lib/images/fallback';
import type { PolicyResource } from '@pulumi/policy';
import { stackRule, type MediaCdnPolicy } from './lib/define';
import { bucketOfDomain, isS3Origin } from './lib/origins';
import { arnIsDistribution, bucketName, distributionsOf, forBucket, ofType, policyDocument } from './lib/stack';
import { quoteList } from './lib/text';

interface Bucket {
  readonly resource: PolicyResource;
  readonly name: string;
}

function bucketsOf(resources: readonly PolicyResource[]): Bucket[] {
  return ofType(resources, aws.s3.Bucket).flatMap((resource) => {
    const name = bucketName(resource);
    return name ? [{ resource, name }] : [];
  });
}

/**
 * Names of the buckets some distribution of the stack reads from: directly, or through the images
 * fallback origin (the buckets named in its settings, when the plan knows them).
 */
function originBucketNames(resources: readonly PolicyResource[]): Set<string> {
  const names = distributionsOf(resources).flatMap((d) => (d.props.origins ?? []).map((o) => bucketOfDomain(o.domainName)));
  for (const f of ofType(resources, aws.lambda.Function)) {
    const raw = (f.props.environment as { variables?: Record<string, unknown> } | undefined)?.variables?.[FALLBACK_SETTINGS_VARIABLE];
    if (typeof raw !== 'string') continue;
    try {
      const s = JSON.parse(raw) as { primaryBucket?: unknown; replicaBucket?: unknown };
      for (const b of [s.primaryBucket, s.replicaBucket]) if (typeof b === 'string') names.push(b);
    } catch {
      // Not known yet (preview of a new stack): the distribution's own origins still count.
    }
  }
  return new Set(names.filter((n): n is string => n !== undefined));
}

interface Statement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

function statements(policy: PolicyResource): Statement[] {
  const doc = policyDocument(policy.props.policy);
  const s = doc?.Statement;
  return Array.isArray(s) ? (s as Statement[]) : s && typeof s === 'object' ? [s] : [];
}

function isWildcardPrincipal(p: unknown): boolean {
  if (p === '*') return true;
  if (p && typeof p === 'object' && 'AWS' in p) {
    const aws_ = p.AWS;
    return aws_ === '*' || (Array.isArray(aws_) && aws_.includes('*'));
  }
  return false;
}

const RESTRICTING_CONDITION_KEYS = ['aws:sourcearn', 'aws:sourceaccount', 'aws:sourcevpce', 'aws:principalorgid', 'aws:principalaccount'];

function hasRestrictingCondition(s: Statement): boolean {
  return Object.values(s.Condition ?? {}).some((c) => Object.keys(c).some((k) => RESTRICTING_CONDITION_KEYS.includes(k.toLowerCase())));
}

function deniesInsecureTransport(s: Statement): boolean {
  if (s.Effect !== 'Deny') return false;
  const bool = s.Condition?.Bool ?? {};
  return Object.entries(bool).some(([k, v]) => k.toLowerCase() === 'aws:securetransport' && String(v) === 'false');
}

const PUBLIC_ACCESS_FLAGS = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'];

export const bucketPublicAccessBlocked = stackRule({
  name: 'bucket-public-access-blocked',
  description: 'Every S3 bucket of the program has a public access block with all four settings on.',
  remediationSteps: 'Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true.',
  docs: {
    group: 'origin-buckets',
    why: 'Origins are read only through CloudFront (OAC); the block stops a stray ACL or policy from publishing the whole catalog, premium video included, straight from S3.',
    references: ['Security Hub S3.8', 'Checkov CKV2_AWS_6', 'Checkov CKV_AWS_53–56'],
  },
  config: {
    flags: { type: 'array', items: { type: 'string' }, default: PUBLIC_ACCESS_FLAGS, description: 'Settings that must be true.' },
  },
  validate(args, report, config) {
    for (const b of bucketsOf(args.resources)) {
      const blocks = forBucket(args.resources, aws.s3.BucketPublicAccessBlock, b.name);
      if (blocks.length === 0) {
        report(`bucket '${b.name}' has no public access block; add an aws.s3.BucketPublicAccessBlock with ${quoteList(config.flags)} true.`, b.resource.urn);
        continue;
      }
      const off = config.flags.filter((f) => !blocks.some((blk) => blk.props[f] === true));
      if (off.length > 0) report(`bucket '${b.name}' has a public access block with ${quoteList(off)} not true; set ${off.length > 1 ? 'them' : 'it'} to true.`, blocks[0]!.urn);
    }
  },
});

export const bucketEncrypted = stackRule({
  name: 'bucket-encrypted',
  description: 'Every S3 bucket of the program has default server-side encryption configured.',
  remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm 'AES256' (or 'aws:kms') and bucketKeyEnabled.",
  docs: {
    group: 'origin-buckets',
    why: 'Stating the encryption in the program keeps it from drifting to something weaker, and documents which key protects licensed content at rest.',
    references: ['Security Hub S3.4 (retired)', 'Checkov CKV_AWS_19'],
  },
  config: {
    algorithms: { type: 'array', items: { type: 'string' }, default: ['AES256', 'aws:kms', 'aws:kms:dsse'], description: 'Accepted default encryption algorithms.' },
  },
  validate(args, report, config) {
    for (const b of bucketsOf(args.resources)) {
      const configs = forBucket(args.resources, aws.s3.BucketServerSideEncryptionConfiguration, b.name);
      const algorithms = configs.flatMap((c) => ((c.props.rules ?? []) as { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } }[])
        .map((r) => r.applyServerSideEncryptionByDefault?.sseAlgorithm));
      if (algorithms.some((a) => a !== undefined && config.algorithms.includes(a))) continue;
      report(
        configs.length === 0
          ? `bucket '${b.name}' has no server-side encryption configuration; add one with sseAlgorithm ${quoteList(config.algorithms, 'or')}.`
          : `bucket '${b.name}' has a server-side encryption configuration with ${algorithms.length === 0 ? 'no default encryption rule' : `algorithm ${quoteList(algorithms.map((a) => String(a)))}`}; set applyServerSideEncryptionByDefault.sseAlgorithm to ${quoteList(config.algorithms, 'or')}.`,
        configs[0]?.urn ?? b.resource.urn,
      );
    }
  },
});

export const originBucketVersioned = stackRule({
  name: 'origin-bucket-versioned',
  description: 'Every bucket a distribution reads from has versioning enabled.',
  remediationSteps: "Add an aws.s3.BucketVersioning for the bucket with status 'Enabled' (replication needs it too).",
  docs: {
    group: 'origin-buckets',
    why: 'Versions are the rollback for a bad publish or deletion, and S3 replication to the failover bucket requires them.',
    references: ['Security Hub S3.14', 'Checkov CKV_AWS_21'],
  },
  config: {
    includeAllBuckets: { type: 'boolean', default: false, description: 'Require versioning on every bucket, not only origins.' },
  },
  validate(args, report, config) {
    const origins = originBucketNames(args.resources);
    for (const b of bucketsOf(args.resources)) {
      if (!config.includeAllBuckets && !origins.has(b.name)) continue;
      const versioning = forBucket(args.resources, aws.s3.BucketVersioning, b.name);
      const status = versioning.map((v) => v.props.versioningConfiguration?.status as string | undefined);
      if (status.includes('Enabled')) continue;
      report(
        versioning.length === 0
          ? `origin bucket '${b.name}' has no versioning configuration; add an aws.s3.BucketVersioning with status 'Enabled'.`
          : `origin bucket '${b.name}' has versioning status ${quoteList(status.map((s) => String(s)))}; set it to 'Enabled'.`,
        versioning[0]?.urn ?? b.resource.urn,
      );
    }
  },
});

export const bucketPolicyNotPublic = stackRule({
  name: 'bucket-policy-not-public',
  description: 'No bucket policy allows access to any principal without a condition naming the source (distribution, account or VPC endpoint).',
  remediationSteps: "Grant s3:GetObject to the cloudfront.amazonaws.com service with an AWS:SourceArn condition naming this stack's distributions (lib/builders/bucket-policies.ts).",
  docs: {
    group: 'origin-buckets',
    why: 'An Allow for Principal "*" makes the bucket public whatever the distribution does, bypassing signed URLs, geo restriction and WAF.',
    references: ['Security Hub S3.2/S3.3', 'Checkov CKV_AWS_70'],
  },
  config: {
    allowedBuckets: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'Buckets allowed to be public.' },
  },
  validate(args, report, config) {
    for (const p of ofType(args.resources, aws.s3.BucketPolicy)) {
      const bucket = String(p.props.bucket ?? p.name);
      if (config.allowedBuckets.includes(bucket)) continue;
      const open = statements(p).filter((s) => s.Effect === 'Allow' && isWildcardPrincipal(s.Principal) && !hasRestrictingCondition(s));
      if (open.length > 0) report(`the policy of bucket '${bucket}' has ${open.length} statement(s) allowing any principal ('*') with no source condition; restrict them to the CloudFront service principal with AWS:SourceArn.`, p.urn);
    }
  },
});

export const bucketPolicyRequiresTls = stackRule({
  name: 'bucket-policy-requires-tls',
  description: 'Every S3 bucket of the program has a bucket policy that denies requests not made over TLS.',
  remediationSteps: "Add a statement { Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } } to the bucket policy.",
  docs: {
    group: 'origin-buckets',
    why: 'Replication, log delivery and operators reach the buckets directly; the deny makes plain-HTTP access impossible for all of them.',
    references: ['Security Hub S3.5'],
  },
  config: {
    exemptBuckets: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'Buckets that need no TLS-only policy.' },
  },
  validate(args, report, config) {
    for (const b of bucketsOf(args.resources)) {
      if (config.exemptBuckets.includes(b.name)) continue;
      const policies = forBucket(args.resources, aws.s3.BucketPolicy, b.name);
      if (policies.some((p) => statements(p).some(deniesInsecureTransport))) continue;
      report(
        policies.length === 0
          ? `bucket '${b.name}' has no bucket policy, so nothing denies plain-HTTP requests; add a policy that denies aws:SecureTransport false.`
          : `the policy of bucket '${b.name}' does not deny requests with aws:SecureTransport false; add a DenyInsecureTransport statement.`,
        policies[0]?.urn ?? b.resource.urn,
      );
    }
  },
});

/** Bucket names that some replication rule of the stack writes to (`arn:aws:s3:::<name>` destinations). */
function replicationDestinations(resources: readonly PolicyResource[]): Set<string> {
  const out = new Set<string>();
  for (const c of ofType(resources, aws.s3.BucketReplicationConfig)) {
    for (const r of (c.props.rules ?? []) as { status?: string; destination?: { bucket?: unknown } }[]) {
      const arn = r.destination?.bucket;
      if (r.status === 'Enabled' && typeof arn === 'string') out.add(arn.replace(/^arn:aws[a-z-]*:s3:::/, ''));
    }
  }
  return out;
}

/** Whether a policy statement lets the CloudFront service read, conditioned on this distribution's ARN. */
function grantsDistribution(s: Statement, d: ReturnType<typeof distributionsOf>[number]): boolean {
  const p = s.Principal as { Service?: unknown } | undefined;
  const services = p && typeof p === 'object' ? [p.Service].flat() : [];
  if (s.Effect !== 'Allow' || !services.includes('cloudfront.amazonaws.com')) return false;
  const arns = [s.Condition?.StringEquals?.['AWS:SourceArn'], s.Condition?.ArnLike?.['AWS:SourceArn']].flat();
  return arns.some((a) => arnIsDistribution(a, d));
}

export const regionalOriginComplete = stackRule({
  name: 'regional-origin-complete',
  description: "Every S3 origin outside the origin groups (a regional copy the viewer-request functions select) is filled by S3 replication, signed by an origin access control, and readable by this stack's distributions through its bucket policy.",
  remediationSteps: "Add a replication rule from the primary bucket to it, set originAccessControlId on its origin, and give its bucket the CloudFront read policy with AWS:SourceArn (MediaOrigins and OriginAccessPolicies do all three for media-cdn:originRegions).",
  docs: {
    group: 'origin-buckets',
    why: 'A regional copy answers viewers directly: without replication it serves missing or outdated objects, without the origin access control and the bucket policy CloudFront cannot read it (every request fails over) or others can.',
    references: ['docs/architecture.md, Regional origins'],
  },
  config: {
    exemptOrigins: { type: 'array', items: { type: 'string' }, default: [] as string[], description: 'Origin ids outside the origin groups that this rule does not check.' },
  },
  validate(args, report, config) {
    const replicated = replicationDestinations(args.resources);
    for (const d of distributionsOf(args.resources)) {
      const grouped = new Set((d.props.originGroups ?? []).flatMap((g) => (g.members ?? []).map((m) => m.originId)));
      for (const o of d.props.origins ?? []) {
        if (!isS3Origin(o) || grouped.has(o.originId) || config.exemptOrigins.includes(o.originId ?? '')) continue;
        const bucket = bucketOfDomain(o.domainName);
        const what = `regional origin '${o.originId}' of ${d.label}`;
        if (!o.originAccessControlId) report(`${what} has no origin access control; set originAccessControlId so CloudFront signs its requests.`, d.resource.urn);
        if (bucket === undefined) continue;
        if (!replicated.has(bucket)) report(`${what} reads bucket '${bucket}', which no replication rule fills; add a rule replicating the primary bucket to it.`, d.resource.urn);
        const policies = forBucket(args.resources, aws.s3.BucketPolicy, bucket);
        if (!policies.some((p) => statements(p).some((st) => grantsDistribution(st, d)))) {
          report(`${what} reads bucket '${bucket}', whose bucket policy does not let the CloudFront service read it for this distribution (AWS:SourceArn); add the origin bucket policy.`, policies[0]?.urn ?? d.resource.urn);
        }
      }
    }
  },
});

export const originBucketPolicies: readonly MediaCdnPolicy[] = [
  bucketPublicAccessBlocked,
  bucketEncrypted,
  originBucketVersioned,
  bucketPolicyNotPublic,
  bucketPolicyRequiresTls,
  regionalOriginComplete,
];
