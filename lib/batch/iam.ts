/**
 * IAM documents of the SimulationBatch job, least privilege: the job role (the container's own
 * credentials) may read the input prefix and write the output prefix of one bucket, nothing else;
 * the execution role (what ECS on Fargate uses to start the container) may pull the one ECR repository
 * of the image and write the job's log group. Both are assumed by ECS tasks of this account only.
 * Sources: https://docs.aws.amazon.com/batch/latest/userguide/execution-IAM-role.html,
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/ECR_on_ECS.html (the pull actions),
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html (the trust policy).
 */
import type { PolicyDocument } from '../builders/bucket-policies';
import { InputError, show } from '../errors';
import { assumeRolePolicy } from '../invalidation/pipeline';
import { logsPrefix } from './job-contract';

/** The principal that assumes both roles of a Fargate job (Batch runs it as an ECS task). */
export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';

/** Trust policy of the job role and the execution role: ECS tasks, of this account only. */
export function batchTaskTrustPolicy(accountId: string): PolicyDocument {
  return assumeRolePolicy(ECS_TASKS_PRINCIPAL, accountId);
}

/** The S3 object ARN pattern of a prefix ('' for the whole bucket is refused: least privilege). */
function prefixArn(bucketArn: string, prefix: string, what: string): string {
  if (prefix === '' || !prefix.endsWith('/') || prefix.includes('*')) throw new InputError(`the ${what} prefix must be a folder such as 'inputs/' (no wildcard, ending in '/'), got ${show(prefix)}.`);
  return `${bucketArn}/${prefix}*`;
}

/**
 * The job role: s3:GetObject under the input prefix, s3:ListBucket of the input's logs folder only
 * (to find the logs a replay reads), s3:PutObject under the output prefix.
 */
export function jobRolePolicy(a: { bucketArn: string; inputPrefix: string; outputPrefix: string }): PolicyDocument {
  const input = prefixArn(a.bucketArn, a.inputPrefix, 'input');
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadInput', Effect: 'Allow', Action: 's3:GetObject', Resource: input },
      { Sid: 'ListInputLogs', Effect: 'Allow', Action: 's3:ListBucket', Resource: a.bucketArn, Condition: { StringLike: { 's3:prefix': `${logsPrefix(a.inputPrefix)}*` } } },
      { Sid: 'WriteParts', Effect: 'Allow', Action: 's3:PutObject', Resource: prefixArn(a.bucketArn, a.outputPrefix, 'output') },
    ],
  };
}

export interface EcrImage {
  readonly account: string;
  readonly region: string;
  readonly repository: string;
}

const ECR_IMAGE_RE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*)(?::[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})?$/;

/** The ECR repository an image URI points at; undefined for an image in another registry (public, Docker Hub). */
export function ecrImageOf(image: string): EcrImage | undefined {
  const m = ECR_IMAGE_RE.exec(image);
  return m ? { account: m[1]!, region: m[2]!, repository: m[3]! } : undefined;
}

/** The ARN of an ECR repository. */
export function ecrRepositoryArn(e: EcrImage, partition = 'aws'): string {
  return `arn:${partition}:ecr:${e.region}:${e.account}:repository/${e.repository}`;
}

/** The ECR actions that pull an image, besides GetAuthorizationToken (which has no resource). */
export const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;

/**
 * The execution role: write the job's log streams; with an ECR image, get a registry token (resource
 * `*`, the only one the action takes) and pull from that one repository.
 */
export function executionRolePolicy(a: { image: string; logGroupArn: string }): PolicyDocument {
  const ecr = ecrImageOf(a.image);
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${a.logGroupArn}:log-stream:*` },
      ...(ecr ? [
        { Sid: 'RegistryToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        { Sid: 'PullImage', Effect: 'Allow', Action: [...ECR_PULL_ACTIONS], Resource: ecrRepositoryArn(ecr) },
      ] : []),
    ],
  };
}
