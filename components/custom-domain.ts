import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { aliasRecordSpecs, certificateRequest } from '../lib/builders';
import type { DomainConfig } from '../lib/config';

/** CloudFront reads viewer certificates from ACM in us-east-1 only (spec §10). */
const CERTIFICATE_REGION = 'us-east-1';

export interface DomainCertificateArgs {
  readonly domain: DomainConfig;
  readonly stack: string;
}

/** The Route 53 hosted zone id of a domain config: given, or looked up by the zone's name. */
export function hostedZoneIdOf(domain: DomainConfig): pulumi.Output<string> {
  return domain.hostedZoneId !== ''
    ? pulumi.output(domain.hostedZoneId)
    : aws.route53.getZoneOutput({ name: domain.hostedZone, privateZone: false }).zoneId;
}

/**
 * The certificate of the custom domains, the way SST's Cdn does it: an ACM certificate in us-east-1
 * for `domain.names`, a DNS validation record per name in the hosted zone, and the validation that
 * waits for ACM to issue it. `certificateArn` resolves only once the certificate is issued, so the
 * distribution that uses it is created after.
 */
export class DomainCertificate extends pulumi.ComponentResource {
  readonly certificateArn: pulumi.Output<string>;
  readonly hostedZoneId: pulumi.Output<string>;

  constructor(name: string, args: DomainCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:DomainCertificate', name, {}, opts);
    const parent = { parent: this };
    this.hostedZoneId = hostedZoneIdOf(args.domain);

    const certificate = new aws.acm.Certificate(`${name}-certificate`, {
      region: CERTIFICATE_REGION,
      ...certificateRequest(args.domain, args.stack),
    }, { parent: this, deleteBeforeReplace: false });

    // One validation record per name; a wildcard and its apex share a record, hence allowOverwrite.
    const records = args.domain.names.map((domainName) => {
      const option = certificate.domainValidationOptions.apply((opts) => {
        const o = opts.find((x) => x.domainName === domainName);
        if (!o) throw new Error(`ACM returned no DNS validation option for '${domainName}'`);
        return o;
      });
      return new aws.route53.Record(`${name}-validation-${domainName.replace(/^\*\./, 'wildcard.').replace(/\./g, '-')}`, {
        zoneId: this.hostedZoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 60,
        allowOverwrite: true,
      }, parent);
    });
    const validation = new aws.acm.CertificateValidation(`${name}-validation`, {
      region: CERTIFICATE_REGION,
      certificateArn: certificate.arn,
      validationRecordFqdns: records.map((r) => r.fqdn),
    }, parent);
    this.certificateArn = validation.certificateArn;

    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}

export interface DomainRecordsArgs {
  readonly names: readonly string[];
  readonly hostedZoneId: pulumi.Input<string>;
  /** The distribution the names point at. */
  readonly distribution: aws.cloudfront.Distribution;
  /** Whether the distribution serves IPv6 (adds AAAA records). */
  readonly ipv6: boolean;
}

/** A and AAAA alias records of the custom domains, pointing at the distribution. */
export class DomainRecords extends pulumi.ComponentResource {
  constructor(name: string, args: DomainRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('media-cdn:cdn:DomainRecords', name, {}, opts);
    for (const r of aliasRecordSpecs(args.names, args.ipv6)) {
      new aws.route53.Record(`${name}-${r.id}`, {
        zoneId: args.hostedZoneId,
        name: r.name,
        type: r.type,
        aliases: [{ name: args.distribution.domainName, zoneId: args.distribution.hostedZoneId, evaluateTargetHealth: false }],
        allowOverwrite: false,
      }, { parent: this });
    }
    this.registerOutputs({});
  }
}
