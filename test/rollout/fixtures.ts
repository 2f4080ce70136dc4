/**
 * A primary distribution, its staging distribution and a continuous-deployment policy on the local
 * CloudFront endpoint, created with the real SDK in the order CloudFront accepts (primary, staging,
 * policy, then the policy attached to the primary).
 */
import {
  CloudFrontClient, CreateContinuousDeploymentPolicyCommand, CreateDistributionCommand, GetDistributionConfigCommand, UpdateDistributionCommand,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { CloudFrontEndpoint } from '../../local/cloudfront-endpoint';
import { REPO } from '../helpers/run-cli';

export const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/cdn-prod-waf/0f1e2d3c';

export function cloudFrontClient(ep: CloudFrontEndpoint): CloudFrontClient {
  return new CloudFrontClient({ endpoint: ep.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** A small but complete DistributionConfig. */
export function distributionConfig(ref: string, overrides: Partial<DistributionConfig> = {}): DistributionConfig {
  return {
    CallerReference: ref,
    Comment: 'media-cdn prod',
    Enabled: true,
    Aliases: { Quantity: 1, Items: ['cdn.example-stream.com'] },
    Origins: { Quantity: 1, Items: [{ Id: 'video-primary', DomainName: 'video.s3.us-east-1.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }] },
    DefaultCacheBehavior: { TargetOriginId: 'video-primary', ViewerProtocolPolicy: 'redirect-to-https', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
    PriceClass: 'PriceClass_All',
    HttpVersion: 'http2',
    WebACLId: WEB_ACL,
    Staging: false,
    ...overrides,
  };
}

export interface Seeded {
  readonly primaryId: string;
  readonly stagingId: string;
  readonly policyId: string;
}

/** Creates primary, staging and policy, attaches the policy; `header` routing, policy enabled or not. */
export async function seedContinuousDeployment(cf: CloudFrontClient, opts: { enabled?: boolean; attach?: boolean } = {}): Promise<Seeded> {
  const primary = await cf.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig('primary') }));
  const staging = await cf.send(new CreateDistributionCommand({ DistributionConfig: distributionConfig('staging', { Staging: true, Aliases: { Quantity: 0, Items: [] } }) }));
  const policy = await cf.send(new CreateContinuousDeploymentPolicyCommand({
    ContinuousDeploymentPolicyConfig: {
      Enabled: opts.enabled ?? false,
      StagingDistributionDnsNames: { Quantity: 1, Items: [staging.Distribution!.DomainName!] },
      TrafficConfig: { Type: 'SingleHeader', SingleHeaderConfig: { Header: 'aws-cf-cd-staging', Value: 'true' } },
    },
  }));
  const primaryId = primary.Distribution!.Id!;
  if (opts.attach ?? true) {
    const current = await cf.send(new GetDistributionConfigCommand({ Id: primaryId }));
    await cf.send(new UpdateDistributionCommand({
      Id: primaryId, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, ContinuousDeploymentPolicyId: policy.ContinuousDeploymentPolicy!.Id! },
    }));
  }
  return { primaryId, stagingId: staging.Distribution!.Id!, policyId: policy.ContinuousDeploymentPolicy!.Id! };
}

/** Runs a repository script without blocking this process's event loop (the local endpoint must keep answering). */
export function runScriptAsync(script: string, args: readonly string[], timeoutMs = 120_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-r', 'tsx/cjs', join(REPO, script), ...args], {
      cwd: REPO, env: { ...process.env, NODE_NO_WARNINGS: '1', AWS_ACCESS_KEY_ID: '', AWS_PROFILE: '' }, timeout: timeoutMs, maxBuffer: 16 << 20,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
      resolve({ status: code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
