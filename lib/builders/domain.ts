/**
 * Custom domains as plain data: the ACM certificate request for `domain.names` and the Route 53 alias
 * records that point the names at the distribution (spec §10). Components register them
 * (components/custom-domain.ts).
 */
import type { DomainConfig } from '../config';

/** `aws.acm.CertificateArgs` (without Region): DNS-validated, the first name as the domain name, the rest as SANs. */
export function certificateRequest(domain: DomainConfig, stack: string) {
  const [first, ...rest] = domain.names;
  return {
    domainName: first!,
    subjectAlternativeNames: rest,
    validationMethod: 'DNS',
    keyAlgorithm: 'RSA_2048',
    tags: { 'media-cdn:stack': stack },
  };
}

/** One alias record of a name: A always, AAAA when the distribution serves IPv6. */
export interface AliasRecordSpec {
  /** Resource-name suffix: `<name with dots as dashes>-<type>`. */
  readonly id: string;
  readonly name: string;
  readonly type: 'A' | 'AAAA';
}

export function aliasRecordSpecs(names: readonly string[], ipv6: boolean): AliasRecordSpec[] {
  return names.flatMap((name) => (ipv6 ? (['A', 'AAAA'] as const) : (['A'] as const)).map((type) => ({
    id: `${name.replace(/^\*\./, 'wildcard.').replace(/\./g, '-')}-${type.toLowerCase()}`,
    name,
    type,
  })));
}
