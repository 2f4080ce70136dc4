/**
 * Pulumi mocks that stand in for the AWS provider during the offline plan and the component tests.
 * Computed attributes (ids, ARNs, domain names) are deterministic placeholders derived from the
 * resource's type and name, so the same program and config always give the same plan. Unknown
 * provider functions throw, so a new dependency on the cloud is noticed.
 */
import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';
import { CLOUDFRONT_TYPES } from '../lib/distribution/resource-types';

export const MOCK_ACCOUNT_ID = '123456789012';

function hash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function uuid(text: string): string {
  const h = hash(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

type State = Record<string, unknown>;

/** Computed state per resource type (ids, ARNs, domain names the program or the scripts read). */
const COMPUTED: Record<string, (name: string, inputs: State, region: string) => { id: string; state: State }> = {
  'aws:s3/bucket:Bucket': (name, inputs, region) => {
    const bucket = (inputs.bucket as string | undefined) ?? `${name}-${hash(name, 8)}`;
    const r = (inputs.region as string | undefined) ?? region;
    return { id: bucket, state: { bucket, arn: `arn:aws:s3:::${bucket}`, region: r, bucketRegionalDomainName: `${bucket}.s3.${r}.amazonaws.com` } };
  },
  [CLOUDFRONT_TYPES.distribution]: (name) => {
    const id = `E${hash(name, 13).toUpperCase()}`;
    return { id, state: { arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/${id}`, domainName: `d${hash(`${name}-dn`, 13)}.cloudfront.net`, hostedZoneId: 'Z2FDTNDATAQYW2', status: 'Deployed', etag: 'E1MOCK' } };
  },
  [CLOUDFRONT_TYPES.function]: (name, inputs) => ({
    id: String(inputs.name ?? name),
    state: { arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:function/${String(inputs.name ?? name)}`, status: 'UNASSOCIATED', etag: 'E1MOCK' },
  }),
  [CLOUDFRONT_TYPES.keyValueStore]: (name, inputs) => {
    const id = uuid(`kvs::${name}`);
    return { id: String(inputs.name ?? name), state: { arn: `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:key-value-store/${id}`, etag: 'E1MOCK' } };
  },
  'aws:sns/topic:Topic': (name, inputs, region) => {
    const topic = String(inputs.name ?? name);
    return { id: `arn:aws:sns:${String(inputs.region ?? region)}:${MOCK_ACCOUNT_ID}:${topic}`, state: { arn: `arn:aws:sns:${String(inputs.region ?? region)}:${MOCK_ACCOUNT_ID}:${topic}` } };
  },
  'aws:cloudwatch/logGroup:LogGroup': (name, inputs, region) => ({
    id: String(inputs.name ?? name),
    state: { arn: `arn:aws:logs:${String(inputs.region ?? region)}:${MOCK_ACCOUNT_ID}:log-group:${String(inputs.name ?? name)}` },
  }),
  'aws:cloudwatch/compositeAlarm:CompositeAlarm': (name, inputs, region) => ({
    id: String(inputs.alarmName ?? name),
    state: { arn: `arn:aws:cloudwatch:${String(inputs.region ?? region)}:${MOCK_ACCOUNT_ID}:alarm:${String(inputs.alarmName ?? name)}` },
  }),
  'aws:cloudwatch/metricAlarm:MetricAlarm': (name, inputs, region) => ({
    id: String(inputs.name ?? name),
    state: { arn: `arn:aws:cloudwatch:${String(inputs.region ?? region)}:${MOCK_ACCOUNT_ID}:alarm:${String(inputs.name ?? name)}` },
  }),
  'aws:costexplorer/anomalyMonitor:AnomalyMonitor': (name) => ({
    id: uuid(`anomaly::${name}`),
    state: { arn: `arn:aws:ce::${MOCK_ACCOUNT_ID}:anomalymonitor/${uuid(`anomaly::${name}`)}` },
  }),
  'aws:wafv2/webAcl:WebAcl': (name, inputs, region) => {
    const id = uuid(name);
    const scope = inputs.scope === 'REGIONAL' ? `${String(inputs.region ?? region)}:${MOCK_ACCOUNT_ID}:regional` : `us-east-1:${MOCK_ACCOUNT_ID}:global`;
    return { id, state: { arn: `arn:aws:wafv2:${scope}/webacl/${String(inputs.name ?? name)}/${id}`, capacity: 1000 } };
  },
  'aws:iam/role:Role': (name) => ({ id: name, state: { arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${name}`, name } }),
  'aws:sqs/queue:Queue': (name, inputs, region) => {
    const queue = String(inputs.name ?? name);
    const r = String(inputs.region ?? region);
    const url = `https://sqs.${r}.amazonaws.com/${MOCK_ACCOUNT_ID}/${queue}`;
    return { id: url, state: { name: queue, url, arn: `arn:aws:sqs:${r}:${MOCK_ACCOUNT_ID}:${queue}` } };
  },
  'aws:lambda/function:Function': (name, inputs, region) => {
    const fn = String(inputs.name ?? name);
    const arn = `arn:aws:lambda:${String(inputs.region ?? region)}:${MOCK_ACCOUNT_ID}:function:${fn}`;
    return { id: fn, state: { name: fn, arn, qualifiedArn: `${arn}:$LATEST`, invokeArn: `arn:aws:apigateway:${String(inputs.region ?? region)}:lambda:path/2015-03-31/functions/${arn}/invocations` } };
  },
  'aws:lambda/functionUrl:FunctionUrl': (name, inputs, region) => {
    const urlId = hash(`functionUrl::${name}`, 32);
    const r = String(inputs.region ?? region);
    return { id: String(inputs.functionName ?? name), state: { urlId, functionUrl: `https://${urlId}.lambda-url.${r}.on.aws/`, functionArn: `arn:aws:lambda:${r}:${MOCK_ACCOUNT_ID}:function:${String(inputs.functionName ?? name)}` } };
  },
  'aws:acm/certificate:Certificate': (name, inputs) => {
    const id = uuid(`acm::${name}`);
    const names = [String(inputs.domainName), ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])];
    return {
      id: `arn:aws:acm:us-east-1:${MOCK_ACCOUNT_ID}:certificate/${id}`,
      state: {
        arn: `arn:aws:acm:us-east-1:${MOCK_ACCOUNT_ID}:certificate/${id}`,
        status: 'PENDING_VALIDATION',
        domainValidationOptions: names.map((domainName) => ({
          domainName,
          resourceRecordName: `_${hash(`${id}${domainName}`, 32)}.${domainName.replace(/^\*\./, '')}.`,
          resourceRecordType: 'CNAME',
          resourceRecordValue: `_${hash(`${domainName}${id}`, 32)}.acm-validations.aws.`,
        })),
      },
    };
  },
  'aws:secretsmanager/secret:Secret': (name, inputs, region) => {
    const r = String(inputs.region ?? region);
    const arn = `arn:aws:secretsmanager:${r}:${MOCK_ACCOUNT_ID}:secret:${String(inputs.name ?? name)}-${hash(name, 6)}`;
    return { id: arn, state: { arn } };
  },
  'aws:secretsmanager/secretVersion:SecretVersion': (name, inputs) => ({
    id: `${String(inputs.secretId)}|${uuid(`version::${name}`)}`,
    state: { arn: String(inputs.secretId), versionId: uuid(`version::${name}`), versionStages: ['AWSCURRENT'] },
  }),
  'aws:acm/certificateValidation:CertificateValidation': (name, inputs) => ({ id: `${name}-id`, state: { certificateArn: inputs.certificateArn } }),
  'aws:route53/record:Record': (name, inputs) => ({ id: `${String(inputs.zoneId)}_${String(inputs.name)}_${String(inputs.type)}`, state: { fqdn: String(inputs.name).replace(/\.$/, '') } }),
  'aws:rum/appMonitor:AppMonitor': (name, inputs, region) => {
    const monitor = String(inputs.name ?? name);
    return { id: monitor, state: { name: monitor, appMonitorId: uuid(`rum::${name}`), arn: `arn:aws:rum:${String(inputs.region ?? region)}:${MOCK_ACCOUNT_ID}:appmonitor/${monitor}` } };
  },
  'aws:cognito/identityPool:IdentityPool': (name, inputs, region) => {
    const r = String(inputs.region ?? region);
    const id = `${r}:${uuid(`identity-pool::${name}`)}`;
    return { id, state: { arn: `arn:aws:cognito-identity:${r}:${MOCK_ACCOUNT_ID}:identitypool/${id}` } };
  },
  'aws:batch/computeEnvironment:ComputeEnvironment': (name, inputs, region) => ({
    id: String(inputs.name ?? name),
    state: { arn: `arn:aws:batch:${String(inputs.region ?? region)}:${MOCK_ACCOUNT_ID}:compute-environment/${String(inputs.name ?? name)}`, status: 'VALID' },
  }),
  'aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination': (name, inputs) => ({
    id: String(inputs.name ?? name),
    state: { arn: `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:delivery-destination:${String(inputs.name ?? name)}` },
  }),
};

/** Types whose id is a UUID in AWS. */
const UUID_TYPES = new Set<string>([
  CLOUDFRONT_TYPES.cachePolicy,
  CLOUDFRONT_TYPES.responseHeadersPolicy,
  CLOUDFRONT_TYPES.originRequestPolicy,
  CLOUDFRONT_TYPES.keyGroup,
  CLOUDFRONT_TYPES.continuousDeploymentPolicy,
]);

/**
 * Types whose outputs the program reads only as its own inputs: their mocked state echoes the inputs
 * with a derived id. Any other type throws, so a new resource whose computed output the program uses
 * (an ARN, a URL) cannot silently plan as `undefined`.
 */
const ECHO_TYPES = new Set([
  'aws:athena/namedQuery:NamedQuery',
  'aws:athena/workgroup:Workgroup',
  'aws:batch/jobDefinition:JobDefinition',
  'aws:batch/jobQueue:JobQueue',
  'aws:budgets/budget:Budget',
  'aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment',
  CLOUDFRONT_TYPES.monitoringSubscription,
  'aws:cloudwatch/dashboard:Dashboard',
  'aws:cloudwatch/logDelivery:LogDelivery',
  'aws:wafv2/webAclAssociation:WebAclAssociation',
  'aws:cloudwatch/logDeliverySource:LogDeliverySource',
  'aws:cloudwatch/logMetricFilter:LogMetricFilter',
  'aws:costexplorer/anomalySubscription:AnomalySubscription',
  'aws:glue/catalogDatabase:CatalogDatabase',
  'aws:glue/catalogTable:CatalogTable',
  'aws:iam/rolePolicy:RolePolicy',
  'aws:lambda/eventSourceMapping:EventSourceMapping',
  'aws:lambda/permission:Permission',
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  'aws:s3/bucketNotification:BucketNotification',
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
  'aws:s3/bucketPolicy:BucketPolicy',
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  'aws:s3/bucketReplicationConfig:BucketReplicationConfig',
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  'aws:s3/bucketVersioning:BucketVersioning',
  'aws:scheduler/schedule:Schedule',
  'aws:sns/topicPolicy:TopicPolicy',
  'aws:sns/topicSubscription:TopicSubscription',
  'aws:sqs/queuePolicy:QueuePolicy',
]);

/** The type token of a stack reference (the program reads its own previous outputs through one). */
export const STACK_REFERENCE_TYPE = 'pulumi:pulumi:StackReference';

export class PlanMocks implements pulumi.runtime.Mocks {
  /**
   * @param previousOutputs the outputs of the stack's previous deployment, which a StackReference to
   *   the stack reads; `{}` plans a fresh stack (the first `pulumi up`).
   */
  constructor(private readonly region: string, private readonly previousOutputs: Readonly<Record<string, unknown>> = {}) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: State } {
    if (!args.custom) return { id: undefined, state: {} };
    if (args.type === STACK_REFERENCE_TYPE) {
      const name = String((args.inputs as State).name ?? args.name);
      return { id: name, state: { name, outputs: { ...this.previousOutputs }, secretOutputNames: [] } };
    }
    const inputs = args.inputs as State;
    const computed = COMPUTED[args.type];
    if (computed) {
      const { id, state } = computed(args.name, inputs, this.region);
      return { id, state: { ...inputs, ...state } };
    }
    if (UUID_TYPES.has(args.type)) return { id: uuid(`${args.type}::${args.name}`), state: { ...inputs, etag: 'E1MOCK' } };
    if (args.type === CLOUDFRONT_TYPES.originAccessControl || args.type === CLOUDFRONT_TYPES.publicKey) {
      return { id: `K${hash(args.name, 13).toUpperCase()}`, state: { ...inputs, etag: 'E1MOCK' } };
    }
    if (ECHO_TYPES.has(args.type)) return { id: `${args.name}-id`, state: inputs };
    throw new Error(`the offline plan has no mock for resource type ${args.type} ('${args.name}'); add its computed outputs to COMPUTED in plan/mocks.ts, or add it to ECHO_TYPES if the program reads only its inputs`);
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    if (args.token === 'aws:secretsmanager/getRandomPassword:getRandomPassword') {
      // Deterministic, so the same config always gives the same plan; a real deploy draws a random one.
      const length = Number(args.inputs.passwordLength ?? 32);
      return { randomPassword: hash(`password::${JSON.stringify(args.inputs)}`, 64).slice(0, length), id: 'mock' };
    }
    if (args.token === 'aws:route53/getZone:getZone') {
      const name = String(args.inputs.name ?? '');
      return { zoneId: `Z${hash(`zone::${name}`, 20).toUpperCase()}`, id: `Z${hash(`zone::${name}`, 20).toUpperCase()}`, name, privateZone: false, nameServers: [] };
    }
    if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') {
      return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/plan`, userId: 'AIDAPLAN', id: MOCK_ACCOUNT_ID };
    }
    throw new Error(`the offline plan has no mock for provider function ${args.token}; add one to plan/mocks.ts`);
  }
}
