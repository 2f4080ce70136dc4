/**
 * The `simulationBatch` stack setting: whether the stack has the SimulationBatch component (a month of
 * simulator shards as an AWS Batch array job on Fargate, docs/simulation-batch.md) and how it is sized.
 * Pure: `parseSimulationBatch` validates the raw object into a typed one, collecting problems that name
 * `media-cdn:simulationBatch.<field>`, the value received and the fix.
 */
import { fargateResourceProblems, MAX_SHARDS, MIN_SHARDS } from '../batch';
import { show } from '../errors';
import { CLOUDWATCH_LOG_RETENTION_DAYS } from './schema';

export interface SimulationBatchConfig {
  /** The container image with the project (the Dockerfile at the repository root), e.g. `<account>.dkr.ecr.<region>.amazonaws.com/media-cdn-sim:<tag>`. */
  readonly image: string;
  /** vCPUs per child job. @default 1 */
  readonly vcpu: number;
  /** Memory per child job, MiB; a valid Fargate pair with vcpu. @default 4096 */
  readonly memoryMiB: number;
  /** Shards (array children) per run; the job definition's SIM_SHARDS. @default 16 */
  readonly shards: number;
  /** Most vCPUs the compute environment runs at once (children beyond it wait). @default 64 */
  readonly maxvCpus: number;
  /** Subnets of the Fargate tasks (no default VPC is assumed). */
  readonly subnetIds: readonly string[];
  /** Security groups of the Fargate tasks (outbound HTTPS to ECR, S3 and CloudWatch Logs is all they need). */
  readonly securityGroupIds: readonly string[];
  /** Give the tasks a public IP: needed in public subnets without a NAT gateway or VPC endpoints. @default false */
  readonly assignPublicIp: boolean;
  /** Days the parts and inputs are kept in the bucket. @default 30 */
  readonly retentionDays: number;
  /** Days the job's log group keeps its logs; one CloudWatch Logs accepts. @default 30 */
  readonly logRetentionDays: number;
}

export const SIMULATION_BATCH_DEFAULTS = Object.freeze({
  vcpu: 1, memoryMiB: 4096, shards: 16, maxvCpus: 64, assignPublicIp: false, retentionDays: 30, logRetentionDays: 30,
});

const FIELDS = ['enabled', 'image', 'vcpu', 'memoryMiB', 'shards', 'maxvCpus', 'subnetIds', 'securityGroupIds', 'assignPublicIp', 'retentionDays', 'logRetentionDays'] as const;
const SUBNET_RE = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_RE = /^sg-[0-9a-f]{8,17}$/;
const IMAGE_RE = /^[a-z0-9][a-z0-9.-]*(:\d+)?(\/[a-z0-9._-]+)+(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/;

/**
 * The setting as typed config, or undefined when the stack does not enable it (`{}` or `enabled: false`).
 * Field types are checked even when disabled; image, subnets and security groups are required only when enabled.
 */
export function parseSimulationBatch(raw: Readonly<Record<string, unknown>>, key: string, problems: string[]): SimulationBatchConfig | undefined {
  for (const f of Object.keys(raw)) {
    if (!(FIELDS as readonly string[]).includes(f)) problems.push(`${key}.${f} is not a known field; use ${FIELDS.join(', ')}.`);
  }
  const before = problems.length;
  const enabled = raw.enabled ?? false;
  if (typeof enabled !== 'boolean') problems.push(`${key}.enabled must be true or false, got ${show(enabled)}.`);
  const int = (f: 'shards' | 'maxvCpus' | 'retentionDays' | 'logRetentionDays', min: number, max: number): number => {
    const v = raw[f] ?? SIMULATION_BATCH_DEFAULTS[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push(`${key}.${f} must be a whole number from ${min} to ${max}, got ${show(v)}.`);
      return SIMULATION_BATCH_DEFAULTS[f];
    }
    return v;
  };
  // fargateResourceProblems names the vCPU counts and, for the vCPU count, the memories Fargate accepts.
  const rawVcpu = raw.vcpu ?? SIMULATION_BATCH_DEFAULTS.vcpu;
  const rawMemory = raw.memoryMiB ?? SIMULATION_BATCH_DEFAULTS.memoryMiB;
  problems.push(...fargateResourceProblems(rawVcpu, rawMemory, key));
  const vcpu = typeof rawVcpu === 'number' ? rawVcpu : SIMULATION_BATCH_DEFAULTS.vcpu;
  const memoryMiB = typeof rawMemory === 'number' ? rawMemory : SIMULATION_BATCH_DEFAULTS.memoryMiB;
  const shards = int('shards', MIN_SHARDS, MAX_SHARDS);
  const maxvCpus = int('maxvCpus', 1, 100_000);
  const retentionDays = int('retentionDays', 1, 3650);
  const logRetentionDays = int('logRetentionDays', 1, 3653);
  if (!(CLOUDWATCH_LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    problems.push(`${key}.logRetentionDays is ${logRetentionDays}, which CloudWatch Logs does not accept; use one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')}.`);
  }
  if (maxvCpus < vcpu) problems.push(`${key}.maxvCpus is ${maxvCpus}, fewer than one child's ${key}.vcpu (${vcpu}), so no child could ever start; raise maxvCpus to at least ${Math.ceil(vcpu)}.`);
  const assignPublicIp = raw.assignPublicIp ?? SIMULATION_BATCH_DEFAULTS.assignPublicIp;
  if (typeof assignPublicIp !== 'boolean') problems.push(`${key}.assignPublicIp must be true or false, got ${show(assignPublicIp)}.`);
  const list = (f: 'subnetIds' | 'securityGroupIds', re: RegExp, example: string, what: string): string[] => {
    const v = raw[f] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      problems.push(`${key}.${f} must be a list of ${what} ids such as ["${example}"], got ${show(v)}.`);
      return [];
    }
    for (const id of v as string[]) if (!re.test(id)) problems.push(`${key}.${f} contains ${show(id)}, which is not a ${what} id such as '${example}'.`);
    if (enabled === true && v.length === 0) {
      problems.push(`${key}.${f} is empty but ${key}.enabled is true; the Fargate tasks run in your VPC (no default VPC is assumed): list the ${what} ids, such as ["${example}"].`);
    }
    return [...new Set(v as string[])];
  };
  const subnetIds = list('subnetIds', SUBNET_RE, 'subnet-0123456789abcdef0', 'subnet');
  const securityGroupIds = list('securityGroupIds', SECURITY_GROUP_RE, 'sg-0123456789abcdef0', 'security group');
  const image = raw.image ?? '';
  if (typeof image !== 'string') problems.push(`${key}.image must be a string, got ${show(image)}.`);
  else if (image === '' && enabled === true) {
    problems.push(`${key}.image is not set but ${key}.enabled is true; build and push the image of the Dockerfile at the repository root (docs/simulation-batch.md) and set its URI with a tag, such as '123456789012.dkr.ecr.us-east-1.amazonaws.com/media-cdn-sim:1'.`);
  } else if (image !== '' && !IMAGE_RE.test(image)) {
    problems.push(`${key}.image must be an image URI with a tag or digest, such as '123456789012.dkr.ecr.us-east-1.amazonaws.com/media-cdn-sim:1', got ${show(image)}; a pinned tag keeps every child on the same build.`);
  }
  if (enabled !== true || problems.length > before) return undefined;
  return { image: image as string, vcpu, memoryMiB, shards, maxvCpus, subnetIds, securityGroupIds, assignPublicIp: assignPublicIp as boolean, retentionDays, logRetentionDays };
}
