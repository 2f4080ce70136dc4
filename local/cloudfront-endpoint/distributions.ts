/**
 * Distributions and continuous-deployment policies behind the local CloudFront endpoint: the state and
 * the rules of the calls a staged rollout makes (CreateDistribution for seeding, Get/Update, the policy
 * calls, UpdateDistributionWithStagingConfig), with CloudFront's refusals:
 * - a policy on a distribution's creation; a policy on a staging distribution; a staging distribution
 *   with aliases or HTTP/3;
 * - a stale `If-Match` (PreconditionFailed, 412) or none (InvalidIfMatchVersion, 400), spec §15.2;
 * - associating a web ACL for the first time, or removing it, while a policy is attached;
 * - deleting an attached policy (ContinuousDeploymentPolicyInUse, 409), an enabled distribution
 *   (DistributionNotDisabled, 409) or a staging distribution a policy still names;
 * - promoting a staging distribution the primary's policy does not name, or (configurable, as AWS's
 *   documentation does not say) while the policy is disabled.
 * An update that leaves `ContinuousDeploymentPolicyId` out keeps the attached policy, as CloudFront does;
 * only an explicit '' detaches it. Configs are kept as the XML elements the SDK sent, so every field
 * round-trips. No HTTP here.
 *
 * Sources: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_UpdateDistributionWithStagingConfig.html ,
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/continuous-deployment-quotas-considerations.html ,
 * https://github.com/aws/aws-sdk-js-v3/issues/7417 (an omitted id is kept; '' detaches).
 */
import { createHash, randomBytes } from 'node:crypto';
import { CloudFrontApiError } from './model';
import { child, childrenNamed, cloneElement, setChildText, type XmlElement } from './xml';

export interface StoredDistribution {
  readonly id: string;
  readonly arn: string;
  readonly domainName: string;
  status: 'InProgress' | 'Deployed';
  etag: string;
  lastModified: Date;
  /** The DistributionConfig element as last written. */
  config: XmlElement;
}

export interface StoredPolicy {
  readonly id: string;
  etag: string;
  lastModified: Date;
  /** The ContinuousDeploymentPolicyConfig element as last written. */
  config: XmlElement;
}

export interface DistributionModelOptions {
  /** Account id in ARNs. @default '123456789012' */
  readonly accountId?: string;
  /**
   * Refuse UpdateDistributionWithStagingConfig while the primary's policy is disabled. AWS's reference
   * does not say; on by default so a rollout must have staged traffic before it promotes.
   * @default true
   */
  readonly promoteRequiresEnabledPolicy?: boolean;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function newId(prefix: string): string {
  let id = prefix;
  for (const b of randomBytes(13)) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

function newEtag(): string {
  return `E${randomBytes(6).toString('hex').toUpperCase()}`;
}

const text = (el: XmlElement, name: string): string | undefined => child(el, name)?.text.trim();
const bool = (el: XmlElement, name: string): boolean => text(el, name) === 'true';

/** Items of a `{ Quantity, Items }` list (e.g. Aliases, StagingDistributionDnsNames). */
function listItems(el: XmlElement | undefined): string[] {
  const items = el && child(el, 'Items');
  return items ? items.children.map((c) => c.text.trim()) : [];
}

function required(el: XmlElement, name: string, what: string): string {
  const v = text(el, name);
  if (v === undefined || v === '') throw new CloudFrontApiError('InvalidArgument', `${what}.${name} is required.`);
  return v;
}

/** Checks `If-Match` against the current ETag (spec §15.2). */
function checkIfMatch(ifMatch: string | undefined, current: string, what: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '') throw new CloudFrontApiError('InvalidIfMatchVersion', `The If-Match version is missing or not valid for ${what}.`);
  if (ifMatch.trim() !== current) throw new CloudFrontApiError('PreconditionFailed', `The If-Match version '${ifMatch}' does not match the current version of ${what} ('${current}'); get it again and retry.`, 412);
}

export class DistributionModel {
  readonly distributions = new Map<string, StoredDistribution>();
  readonly policies = new Map<string, StoredPolicy>();
  private readonly byCallerReference = new Map<string, string>();

  constructor(private readonly opts: DistributionModelOptions = {}) {}

  // --- distributions ---

  /**
   * CreateDistribution. `id` lets a test seed a distribution with a known id (for example a plan's).
   * @throws InvalidArgument for a policy on creation, a staging distribution with aliases or HTTP/3.
   */
  create(config: XmlElement, id = newId('E')): StoredDistribution {
    const callerReference = required(config, 'CallerReference', 'DistributionConfig');
    if (this.byCallerReference.has(callerReference)) {
      throw new CloudFrontApiError('DistributionAlreadyExists', `A distribution with CallerReference '${callerReference}' already exists (${this.byCallerReference.get(callerReference)}).`, 409);
    }
    if (this.distributions.has(id)) throw new CloudFrontApiError('DistributionAlreadyExists', `Distribution ${id} already exists.`, 409);
    if ((text(config, 'ContinuousDeploymentPolicyId') ?? '') !== '') {
      throw new CloudFrontApiError('InvalidArgument', 'Continuous deployment policy cannot be associated to distribution on creation; create the distribution, then update it with the policy id.');
    }
    this.checkStagingRules(config);
    const d: StoredDistribution = {
      id,
      arn: `arn:aws:cloudfront::${this.opts.accountId ?? '123456789012'}:distribution/${id}`,
      domainName: `d${createHash('sha256').update(id).digest('hex').slice(0, 13)}.cloudfront.net`,
      status: 'Deployed',
      etag: newEtag(),
      lastModified: new Date(),
      config: cloneElement(config),
    };
    this.distributions.set(id, d);
    this.byCallerReference.set(callerReference, id);
    return d;
  }

  get(id: string): StoredDistribution {
    const d = this.distributions.get(id);
    if (!d) throw new CloudFrontApiError('NoSuchDistribution', `The specified distribution does not exist: ${id}.`, 404);
    return d;
  }

  /** UpdateDistribution: replaces the config, keeping an omitted ContinuousDeploymentPolicyId (CloudFront does). */
  update(id: string, ifMatch: string | undefined, config: XmlElement): StoredDistribution {
    const d = this.get(id);
    checkIfMatch(ifMatch, d.etag, `distribution ${id}`);
    const next = cloneElement(config);
    const before = d.config;
    const givenPolicy = text(next, 'ContinuousDeploymentPolicyId');
    const attachedBefore = text(before, 'ContinuousDeploymentPolicyId') ?? '';
    if (givenPolicy === undefined && attachedBefore !== '') setChildText(next, 'ContinuousDeploymentPolicyId', attachedBefore);
    const attachedAfter = text(next, 'ContinuousDeploymentPolicyId') ?? '';
    if (text(next, 'CallerReference') !== text(before, 'CallerReference')) {
      throw new CloudFrontApiError('IllegalUpdate', 'CallerReference cannot be changed by an update.');
    }
    if (bool(next, 'Staging') !== bool(before, 'Staging')) {
      throw new CloudFrontApiError('IllegalUpdate', `Staging cannot be changed by an update (distribution ${id} has Staging=${bool(before, 'Staging')}).`);
    }
    this.checkStagingRules(next);
    if (attachedAfter !== '') {
      if (bool(next, 'Staging')) throw new CloudFrontApiError('InvalidArgument', 'A continuous deployment policy can be associated with a primary distribution only, not with a staging distribution.');
      this.getPolicy(attachedAfter);
    }
    const aclBefore = text(before, 'WebACLId') ?? '';
    const aclAfter = text(next, 'WebACLId') ?? '';
    if (aclBefore !== aclAfter && (attachedBefore !== '' || attachedAfter !== '')) {
      throw new CloudFrontApiError('IllegalUpdate', aclBefore === ''
        ? 'A web ACL cannot be associated for the first time with a distribution that has a continuous deployment policy; delete the policy first.'
        : 'The web ACL cannot be changed or removed while the distribution has a continuous deployment policy; delete the policy first.');
    }
    this.write(d, next);
    return d;
  }

  /** DeleteDistribution: only disabled, and not a staging distribution that a policy still names. */
  delete(id: string, ifMatch: string | undefined): void {
    const d = this.get(id);
    checkIfMatch(ifMatch, d.etag, `distribution ${id}`);
    if (bool(d.config, 'Enabled')) throw new CloudFrontApiError('DistributionNotDisabled', `Distribution ${id} is enabled; disable it and wait until it is deployed before deleting it.`, 409);
    const naming = [...this.policies.values()].find((p) => this.stagingDnsNames(p).includes(d.domainName));
    if (naming) throw new CloudFrontApiError('IllegalDelete', `Staging distribution ${id} is named by continuous deployment policy ${naming.id}; delete the policy first.`);
    this.distributions.delete(id);
  }

  /**
   * UpdateDistributionWithStagingConfig: copies the staging distribution's config onto the primary,
   * which keeps its Aliases, ContinuousDeploymentPolicyId, CallerReference and Staging; disables the
   * policy. `ifMatch` is '<primary ETag>, <staging ETag>'.
   */
  promote(primaryId: string, stagingId: string | undefined, ifMatch: string | undefined): StoredDistribution {
    const primary = this.get(primaryId);
    if (!stagingId) throw new CloudFrontApiError('InvalidArgument', 'StagingDistributionId is required.');
    const staging = this.get(stagingId);
    const [primaryEtag, stagingEtag, extra] = (ifMatch ?? '').split(',').map((s) => s.trim());
    if (!primaryEtag || !stagingEtag || extra !== undefined) {
      throw new CloudFrontApiError('InvalidIfMatchVersion', "If-Match must hold both versions: '<primary ETag>, <staging ETag>'.");
    }
    checkIfMatch(primaryEtag, primary.etag, `primary distribution ${primaryId}`);
    checkIfMatch(stagingEtag, staging.etag, `staging distribution ${stagingId}`);
    if (!bool(staging.config, 'Staging')) throw new CloudFrontApiError('InvalidArgument', `Distribution ${stagingId} is not a staging distribution.`);
    const policyId = text(primary.config, 'ContinuousDeploymentPolicyId') ?? '';
    if (policyId === '') throw new CloudFrontApiError('InvalidArgument', `Primary distribution ${primaryId} has no continuous deployment policy; attach one that names ${stagingId}.`);
    const policy = this.getPolicy(policyId);
    if (!this.stagingDnsNames(policy).includes(staging.domainName)) {
      throw new CloudFrontApiError('InvalidArgument', `Continuous deployment policy ${policyId} of ${primaryId} does not name staging distribution ${stagingId} (${staging.domainName}).`);
    }
    if ((this.opts.promoteRequiresEnabledPolicy ?? true) && !bool(policy.config, 'Enabled')) {
      throw new CloudFrontApiError('IllegalUpdate', `Continuous deployment policy ${policyId} is disabled; enable it (send traffic to the staging distribution) before promoting.`);
    }
    const next = cloneElement(staging.config);
    for (const keep of ['CallerReference', 'Aliases', 'ContinuousDeploymentPolicyId', 'Staging']) {
      const i = next.children.findIndex((c) => c.name.endsWith(keep));
      const own = child(primary.config, keep);
      if (i >= 0) next.children.splice(i, 1);
      if (own) next.children.push(cloneElement(own));
    }
    this.write(primary, next);
    setChildText(policy.config, 'Enabled', 'false');
    this.touch(policy);
    return primary;
  }

  private checkStagingRules(config: XmlElement): void {
    if (!bool(config, 'Staging')) return;
    if (listItems(child(config, 'Aliases')).length > 0) throw new CloudFrontApiError('InvalidArgument', 'A staging distribution cannot have alternate domain names (Aliases).');
    if (/3/.test(text(config, 'HttpVersion') ?? '')) throw new CloudFrontApiError('InvalidArgument', 'Continuous deployment cannot be used with HTTP/3; a staging distribution must not enable it.');
  }

  private write(d: StoredDistribution, config: XmlElement): void {
    d.config = config;
    d.etag = newEtag();
    d.lastModified = new Date();
  }

  // --- continuous-deployment policies ---

  createPolicy(config: XmlElement): StoredPolicy {
    this.checkPolicyConfig(config);
    const p: StoredPolicy = { id: newId('').toLowerCase().replace(/^(.{8})(.{4})/, '$1-$2-'), etag: newEtag(), lastModified: new Date(), config: cloneElement(config) };
    this.policies.set(p.id, p);
    return p;
  }

  getPolicy(id: string): StoredPolicy {
    const p = this.policies.get(id);
    if (!p) throw new CloudFrontApiError('NoSuchContinuousDeploymentPolicy', `The continuous deployment policy does not exist: ${id}.`, 404);
    return p;
  }

  updatePolicy(id: string, ifMatch: string | undefined, config: XmlElement): StoredPolicy {
    const p = this.getPolicy(id);
    checkIfMatch(ifMatch, p.etag, `continuous deployment policy ${id}`);
    this.checkPolicyConfig(config);
    p.config = cloneElement(config);
    this.touch(p);
    return p;
  }

  deletePolicy(id: string, ifMatch: string | undefined): void {
    const p = this.getPolicy(id);
    checkIfMatch(ifMatch, p.etag, `continuous deployment policy ${id}`);
    const user = [...this.distributions.values()].find((d) => text(d.config, 'ContinuousDeploymentPolicyId') === id);
    if (user) throw new CloudFrontApiError('ContinuousDeploymentPolicyInUse', `You cannot delete a continuous deployment policy that is associated with a primary distribution (${user.id}); update the distribution with ContinuousDeploymentPolicyId '' first.`, 409);
    this.policies.delete(id);
  }

  private checkPolicyConfig(config: XmlElement): void {
    const traffic = child(config, 'TrafficConfig');
    const type = traffic && text(traffic, 'Type');
    if (type === 'SingleWeight') {
      const w = Number(text(child(traffic!, 'SingleWeightConfig') ?? traffic!, 'Weight'));
      if (!(w >= 0 && w <= 0.15)) throw new CloudFrontApiError('InvalidArgument', `SingleWeightConfig.Weight must be from 0 to 0.15 (15 %), got ${w}.`);
    } else if (type === 'SingleHeader') {
      const header = text(child(traffic!, 'SingleHeaderConfig') ?? traffic!, 'Header') ?? '';
      if (!/^aws-cf-cd-/.test(header)) throw new CloudFrontApiError('InvalidArgument', `SingleHeaderConfig.Header must start with 'aws-cf-cd-', got '${header}'.`);
    } else if (traffic) throw new CloudFrontApiError('InvalidArgument', `TrafficConfig.Type must be SingleWeight or SingleHeader, got '${type ?? ''}'.`);
    if (listItems(child(config, 'StagingDistributionDnsNames')).length === 0) {
      throw new CloudFrontApiError('InvalidArgument', 'StagingDistributionDnsNames must name the staging distribution.');
    }
  }

  private stagingDnsNames(p: StoredPolicy): string[] {
    return listItems(child(p.config, 'StagingDistributionDnsNames'));
  }

  private touch(p: StoredPolicy): void {
    p.etag = newEtag();
    p.lastModified = new Date();
  }
}

/** Reads the elements a caller asks about most: whether a config is staging, its policy id, the policy's Enabled. */
export const configFields = {
  staging: (config: XmlElement): boolean => bool(config, 'Staging'),
  policyId: (config: XmlElement): string => text(config, 'ContinuousDeploymentPolicyId') ?? '',
  enabled: (config: XmlElement): boolean => bool(config, 'Enabled'),
  items: (config: XmlElement, list: string): string[] => listItems(child(config, list)),
  all: childrenNamed,
};
