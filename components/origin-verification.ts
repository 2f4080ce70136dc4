import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { buildOriginWebAclArgs, ORIGIN_SECRET_PASSWORD, originSecretName, regionOfArn } from '../lib/builders';
import type { StackConfig } from '../lib/config';

export interface OriginVerificationArgs {
  /** The validated stack config (header name, rotation generation, origin-side ALBs). */
  readonly config: StackConfig;
}

/**
 * The secret that proves a request to the metadata and API origins came through CloudFront: a Secrets
 * Manager secret (`media-cdn/<stack>/origin-verify`) whose value Secrets Manager generates once per
 * rotation generation (`originSecretRotation`), the header CloudFront sends it in, and, for origins
 * behind an Application Load Balancer (`originAlbArns`), a regional web ACL that blocks requests
 * without it. The value is a Pulumi secret: encrypted in state, never a plain stack output.
 */
export class OriginVerification extends pulumi.ComponentResource {
  readonly secret: aws.secretsmanager.Secret;
  readonly headerName: string;
  /** The header value (a Pulumi secret). */
  readonly headerValue: pulumi.Output<string>;

  constructor(name: string, args: OriginVerificationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:OriginVerification', name, {}, opts);
    const { config } = args;
    const parent = { parent: this };
    const tags = { 'media-cdn:stack': config.stack };
    this.headerName = config.originSecretHeaderName;

    this.secret = new aws.secretsmanager.Secret(`${name}-secret`, {
      region: config.region,
      name: originSecretName(config.stack),
      description: `media-cdn ${config.stack}: value of the ${config.originSecretHeaderName} header CloudFront sends to the metadata and API origins`,
      recoveryWindowInDays: 7,
      tags,
    }, parent);
    // A new value per generation: the version of generation N is generated once (the password is
    // drawn on every run; ignoreChanges keeps the first), and raising the generation creates a new
    // version (AWSCURRENT; the old one becomes AWSPREVIOUS) before the old resource is deleted.
    const password = aws.secretsmanager.getRandomPasswordOutput({ region: config.region, ...ORIGIN_SECRET_PASSWORD }, parent);
    const version = new aws.secretsmanager.SecretVersion(`${name}-secret-v${config.originSecretRotation}`, {
      region: config.region,
      secretId: this.secret.id,
      secretString: pulumi.secret(password.randomPassword),
    }, { parent: this, ignoreChanges: ['secretString'], additionalSecretOutputs: ['secretString'] });
    this.headerValue = pulumi.secret(version.secretString.apply((v) => v ?? ''));

    const byRegion = new Map<string, string[]>();
    for (const arn of config.originAlbArns) byRegion.set(regionOfArn(arn), [...(byRegion.get(regionOfArn(arn)) ?? []), arn]);
    for (const [region, arns] of byRegion) {
      const acl = new aws.wafv2.WebAcl(`${name}-alb-waf-${region}`, {
        region,
        ...buildOriginWebAclArgs(`${name}-${config.stack}-${region}`, config.originSecretHeaderName, this.headerValue),
        tags,
      }, parent);
      arns.forEach((arn, i) => new aws.wafv2.WebAclAssociation(`${name}-alb-waf-${region}-${i + 1}`, {
        region, resourceArn: arn, webAclArn: acl.arn,
      }, parent));
    }

    this.registerOutputs({ secretArn: this.secret.arn });
  }
}
