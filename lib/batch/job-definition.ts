/**
 * The SimulationBatch job definition's container properties and the command that submits a run, as
 * plain data (components/simulation-batch.ts registers them).
 * Container properties: https://docs.aws.amazon.com/batch/latest/APIReference/API_ContainerProperties.html
 * Array jobs: https://docs.aws.amazon.com/batch/latest/userguide/array_jobs.html
 */
import { boundedName } from '../aws-names';
import { fargateResourceRequirements } from './fargate-resources';
import { jobEnvironment } from './job-contract';

/** What the container runs: the entry script, which runs its shard and uploads the part. */
export const ENTRY_COMMAND = ['node', 'scripts/launch.js', 'batch-entry'] as const;

export interface ContainerPropertiesInput {
  readonly image: string;
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly jobRoleArn: string;
  readonly executionRoleArn: string;
  readonly logGroupName: string;
  readonly region: string;
  readonly bucket: string;
  readonly shards: number;
  /** Whether the task gets a public IP (subnets without a NAT gateway or VPC endpoints need one to pull the image and reach S3). */
  readonly assignPublicIp: boolean;
}

/** `containerProperties` of a Fargate job definition (serialized as JSON by the caller). */
export function jobContainerProperties(c: ContainerPropertiesInput): Record<string, unknown> {
  return {
    image: c.image,
    command: [...ENTRY_COMMAND],
    jobRoleArn: c.jobRoleArn,
    executionRoleArn: c.executionRoleArn,
    resourceRequirements: fargateResourceRequirements(c.vcpu, c.memoryMiB),
    environment: jobEnvironment({ bucket: c.bucket, region: c.region, shards: c.shards }),
    fargatePlatformConfiguration: { platformVersion: 'LATEST' },
    networkConfiguration: { assignPublicIp: c.assignPublicIp ? 'ENABLED' : 'DISABLED' },
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': c.logGroupName, 'awslogs-region': c.region, 'awslogs-stream-prefix': 'sim' } },
  };
}

/** The shell command that submits a run of `shards` children (`--array-properties size=N`). */
export function submitJobCommand(a: { queue: string; definition: string; shards: number; region: string; jobName?: string }): string {
  return `aws batch submit-job --region ${a.region} --job-name ${a.jobName ?? 'media-cdn-sim'} --job-queue ${a.queue} --job-definition ${a.definition} --array-properties size=${a.shards}`;
}

/** AWS Batch names (compute environment, job queue, job definition): up to 128 letters, digits, '-' and '_'. */
export const BATCH_NAME_LIMIT = Object.freeze({ max: 128, charset: /^[\w-]+$/ });

/** The stack's name of its compute environment, job queue and job definition (each its own namespace). */
export function batchResourceName(stack: string): string {
  return boundedName(['media-cdn', stack, 'sim'], BATCH_NAME_LIMIT);
}

/** The job's log group, where Batch's awslogs driver writes the children's output. */
export function batchLogGroupName(stack: string): string {
  return `/aws/batch/${batchResourceName(stack)}`;
}
