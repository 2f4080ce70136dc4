import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  batchLogGroupName, batchResourceName, batchTaskTrustPolicy, executionRolePolicy, INPUT_PREFIX, jobContainerProperties, jobRolePolicy, OUTPUT_PREFIX, submitJobCommand,
} from '../lib/batch';
import { privateBucketPolicy } from '../lib/builders/bucket-policies';
import type { SimulationBatchConfig } from '../lib/config';
import { TAG_STACK } from '../lib/monitoring';

export interface SimulationBatchArgs {
  readonly stack: string;
  /** AWS Region of every resource (the stack's aws:region). */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** The validated `simulationBatch` setting (lib/config/simulation-batch.ts). */
  readonly settings: SimulationBatchConfig;
}

/** Longest a child may run before Batch stops it (a shard of a full-scale day takes minutes, not hours). */
export const CHILD_TIMEOUT_SECONDS = 6 * 3600;

/**
 * The simulator beyond one machine (docs/simulation-batch.md): an AWS Batch array job on Fargate whose
 * child i runs `npm run sim -- --plan plan.json --shard i/n --json part.json` (scripts/batch-entry.ts)
 * and uploads its part; `npm run sim -- merge` adds the parts up. A bucket for the inputs and the parts
 * (encrypted, private, TLS only, expiring), a managed FARGATE compute environment in the configured
 * subnets, a job queue, the job definition, a job role that reads inputs/ and writes results/ only, an
 * execution role that pulls the image and writes the log group, and the log group.
 * The compute environment uses Batch's service-linked role (AWSServiceRoleForBatch), which AWS creates
 * on first use.
 */
export class SimulationBatch extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly jobRole: aws.iam.Role;
  readonly executionRole: aws.iam.Role;
  readonly computeEnvironment: aws.batch.ComputeEnvironment;
  readonly jobQueue: aws.batch.JobQueue;
  readonly jobDefinition: aws.batch.JobDefinition;
  /** The command that submits a run of `shards` children. */
  readonly submitCommand: pulumi.Output<string>;

  private readonly name: string;
  private readonly args: SimulationBatchArgs;

  constructor(name: string, args: SimulationBatchArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:SimulationBatch', name, {}, opts);
    this.name = name;
    this.args = args;

    this.bucket = this.createBucket();
    this.logGroup = this.createLogGroup();
    this.jobRole = this.createJobRole();
    this.executionRole = this.createExecutionRole();
    this.computeEnvironment = this.createComputeEnvironment();
    this.jobQueue = this.createJobQueue();
    this.jobDefinition = this.createJobDefinition();
    this.submitCommand = pulumi.all([this.jobQueue.name, this.jobDefinition.name])
      .apply(([queue, definition]) => submitJobCommand({ queue, definition, shards: args.settings.shards, region: args.region }));

    this.registerOutputs({
      bucket: this.bucket.bucket,
      jobQueue: this.jobQueue.name,
      jobDefinition: this.jobDefinition.name,
      submitCommand: this.submitCommand,
    });
  }

  private get parent(): pulumi.CustomResourceOptions {
    return { parent: this };
  }

  private get tags(): Record<string, string> {
    return { [TAG_STACK]: this.args.stack };
  }

  private createBucket(): aws.s3.Bucket {
    const { region, settings } = this.args;
    const name = `${this.name}-bucket`;
    const bucket = new aws.s3.Bucket(name, { region, forceDestroy: true, tags: this.tags }, this.parent);
    new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
      region, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, this.parent);
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { region, bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, this.parent);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
      region, bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    }, this.parent);
    new aws.s3.BucketPolicy(`${name}-policy`, {
      region, bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(privateBucketPolicy(arn))),
    }, this.parent);
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      region, bucket: bucket.id,
      rules: [{
        id: 'expire-runs', status: 'Enabled', filter: {},
        expiration: { days: settings.retentionDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      }],
    }, this.parent);
    return bucket;
  }

  private createLogGroup(): aws.cloudwatch.LogGroup {
    const { region, stack, settings } = this.args;
    return new aws.cloudwatch.LogGroup(`${this.name}-logs`, {
      region, name: batchLogGroupName(stack), retentionInDays: settings.logRetentionDays, tags: this.tags,
    }, this.parent);
  }

  private createRole(suffix: string, description: string, policy: pulumi.Input<string>): aws.iam.Role {
    const role = new aws.iam.Role(`${this.name}-${suffix}`, {
      description,
      assumeRolePolicy: pulumi.output(this.args.accountId).apply((account) => JSON.stringify(batchTaskTrustPolicy(account))),
      maxSessionDuration: 3600,
      tags: this.tags,
    }, this.parent);
    new aws.iam.RolePolicy(`${this.name}-${suffix}`, { role: role.id, policy }, this.parent);
    return role;
  }

  private createJobRole(): aws.iam.Role {
    return this.createRole('job', `media-cdn ${this.args.stack}: simulator shards reading ${INPUT_PREFIX} and writing ${OUTPUT_PREFIX} of their bucket`,
      this.bucket.arn.apply((bucketArn) => JSON.stringify(jobRolePolicy({ bucketArn, inputPrefix: INPUT_PREFIX, outputPrefix: OUTPUT_PREFIX }))));
  }

  private createExecutionRole(): aws.iam.Role {
    return this.createRole('execution', `media-cdn ${this.args.stack}: starting simulator shards on Fargate (image pull, logs)`,
      this.logGroup.arn.apply((logGroupArn) => JSON.stringify(executionRolePolicy({ image: this.args.settings.image, logGroupArn }))));
  }

  private createComputeEnvironment(): aws.batch.ComputeEnvironment {
    const { region, stack, settings } = this.args;
    return new aws.batch.ComputeEnvironment(`${this.name}-compute`, {
      region,
      name: batchResourceName(stack),
      type: 'MANAGED',
      state: 'ENABLED',
      computeResources: {
        type: 'FARGATE',
        maxVcpus: settings.maxvCpus,
        subnets: [...settings.subnetIds],
        securityGroupIds: [...settings.securityGroupIds],
      },
      tags: this.tags,
    }, this.parent);
  }

  private createJobQueue(): aws.batch.JobQueue {
    const { region, stack } = this.args;
    return new aws.batch.JobQueue(`${this.name}-queue`, {
      region,
      name: batchResourceName(stack),
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrders: [{ order: 1, computeEnvironment: this.computeEnvironment.arn }],
      tags: this.tags,
    }, this.parent);
  }

  private createJobDefinition(): aws.batch.JobDefinition {
    const { region, stack, settings } = this.args;
    const containerProperties = pulumi.all([this.jobRole.arn, this.executionRole.arn, this.logGroup.name, this.bucket.bucket])
      .apply(([jobRoleArn, executionRoleArn, logGroupName, bucket]) => JSON.stringify(jobContainerProperties({
        image: settings.image, vcpu: settings.vcpu, memoryMiB: settings.memoryMiB, jobRoleArn, executionRoleArn, logGroupName, region, bucket,
        shards: settings.shards, assignPublicIp: settings.assignPublicIp,
      })));
    return new aws.batch.JobDefinition(`${this.name}-job`, {
      region,
      name: batchResourceName(stack),
      type: 'container',
      platformCapabilities: ['FARGATE'],
      containerProperties,
      // Bad input (exit 2) fails at once; anything else (a lost task, a throttled upload) gets one more attempt.
      retryStrategy: { attempts: 2, evaluateOnExits: [{ onExitCode: '2', action: 'EXIT' }] },
      timeout: { attemptDurationSeconds: CHILD_TIMEOUT_SECONDS },
      propagateTags: true,
      tags: this.tags,
    }, this.parent);
  }
}
