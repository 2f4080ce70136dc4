/**
 * The REST-XML routes of the distribution and continuous-deployment-policy calls (API 2020-05-31) on
 * the local CloudFront endpoint: request parsing and response documents around `DistributionModel`.
 *
 * API: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_Operations_Amazon_CloudFront.html
 */
import { CloudFrontApiError } from './model';
import type { DistributionModel, StoredDistribution, StoredPolicy } from './distributions';
import { localName, parseXml, renderElement, xmlDocument, type XmlError, type XmlElement } from './xml';

export type DistributionOperation =
  | 'CreateDistribution' | 'GetDistribution' | 'GetDistributionConfig' | 'UpdateDistribution' | 'DeleteDistribution'
  | 'UpdateDistributionWithStagingConfig'
  | 'CreateContinuousDeploymentPolicy' | 'GetContinuousDeploymentPolicy' | 'GetContinuousDeploymentPolicyConfig'
  | 'UpdateContinuousDeploymentPolicy' | 'DeleteContinuousDeploymentPolicy';

export interface ApiRequest {
  readonly method: string;
  /** Path segments after `/2020-05-31/`, decoded. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly ifMatch: string | undefined;
  readonly body: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly xml: string;
  readonly headers: Record<string, string>;
}

/** Which operation a request is, or undefined when it is not one of these routes. */
export function distributionOperation(method: string, segments: readonly string[]): DistributionOperation | undefined {
  const [kind, id, sub, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (kind === 'distribution') {
    if (id === undefined) return method === 'POST' ? 'CreateDistribution' : undefined;
    if (sub === undefined) return method === 'GET' ? 'GetDistribution' : method === 'DELETE' ? 'DeleteDistribution' : undefined;
    if (sub === 'config') return method === 'GET' ? 'GetDistributionConfig' : method === 'PUT' ? 'UpdateDistribution' : undefined;
    if (sub === 'promote-staging-config' && method === 'PUT') return 'UpdateDistributionWithStagingConfig';
    return undefined;
  }
  if (kind === 'continuous-deployment-policy') {
    if (id === undefined) return method === 'POST' ? 'CreateContinuousDeploymentPolicy' : undefined;
    if (sub === undefined) {
      return method === 'GET' ? 'GetContinuousDeploymentPolicy' : method === 'PUT' ? 'UpdateContinuousDeploymentPolicy' : method === 'DELETE' ? 'DeleteContinuousDeploymentPolicy' : undefined;
    }
    if (sub === 'config' && method === 'GET') return 'GetContinuousDeploymentPolicyConfig';
  }
  return undefined;
}

function parseBody(body: string, root: string): XmlElement {
  if (body.trim() === '') throw new CloudFrontApiError('MissingBody', `The request body is empty; send a ${root}.`);
  let el: XmlElement;
  try {
    el = parseXml(body);
  } catch (e) {
    throw new CloudFrontApiError('MalformedInput', `The request body is not valid XML: ${(e as XmlError).message}.`);
  }
  if (localName(el) !== root) throw new CloudFrontApiError('MalformedInput', `The request body must be a ${root}, got <${localName(el)}>.`);
  return el;
}

function distributionXml(d: StoredDistribution): string {
  return xmlDocument('Distribution', [
    `<Id>${d.id}</Id><ARN>${d.arn}</ARN><Status>${d.status}</Status><LastModifiedTime>${d.lastModified.toISOString()}</LastModifiedTime>`,
    `<InProgressInvalidationBatches>0</InProgressInvalidationBatches><DomainName>${d.domainName}</DomainName>`,
    '<ActiveTrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></ActiveTrustedSigners>',
    '<ActiveTrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></ActiveTrustedKeyGroups>',
    renderElement(d.config, 'DistributionConfig'),
  ].join(''));
}

function policyXml(p: StoredPolicy): string {
  return xmlDocument('ContinuousDeploymentPolicy', `<Id>${p.id}</Id><LastModifiedTime>${p.lastModified.toISOString()}</LastModifiedTime>${renderElement(p.config, 'ContinuousDeploymentPolicyConfig')}`);
}

const configDocument = (el: XmlElement, root: string) => xmlDocument(root, el.children.map((c) => renderElement(c)).join(''));

/** Runs one call against the model. @throws CloudFrontApiError as CloudFront answers it. */
export function handleDistributionCall(op: DistributionOperation, req: ApiRequest, model: DistributionModel, onCreate?: (d: StoredDistribution) => void): ApiResponse {
  const id = req.segments[1] ?? '';
  const ok = (xml: string, etag: string, status = 200, extra: Record<string, string> = {}): ApiResponse => ({ status, xml, headers: { etag, ...extra } });
  switch (op) {
    case 'CreateDistribution': {
      const d = model.create(parseBody(req.body, 'DistributionConfig'));
      onCreate?.(d);
      return ok(distributionXml(d), d.etag, 201, { location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${d.id}` });
    }
    case 'GetDistribution': {
      const d = model.get(id);
      return ok(distributionXml(d), d.etag);
    }
    case 'GetDistributionConfig': {
      const d = model.get(id);
      return ok(configDocument(d.config, 'DistributionConfig'), d.etag);
    }
    case 'UpdateDistribution': {
      const d = model.update(id, req.ifMatch, parseBody(req.body, 'DistributionConfig'));
      return ok(distributionXml(d), d.etag);
    }
    case 'DeleteDistribution':
      model.delete(id, req.ifMatch);
      return { status: 204, xml: '', headers: {} };
    case 'UpdateDistributionWithStagingConfig': {
      const d = model.promote(id, req.query.get('StagingDistributionId') ?? undefined, req.ifMatch);
      return ok(distributionXml(d), d.etag);
    }
    case 'CreateContinuousDeploymentPolicy': {
      const p = model.createPolicy(parseBody(req.body, 'ContinuousDeploymentPolicyConfig'));
      return ok(policyXml(p), p.etag, 201, { location: `https://cloudfront.amazonaws.com/2020-05-31/continuous-deployment-policy/${p.id}` });
    }
    case 'GetContinuousDeploymentPolicy': {
      const p = model.getPolicy(id);
      return ok(policyXml(p), p.etag);
    }
    case 'GetContinuousDeploymentPolicyConfig': {
      const p = model.getPolicy(id);
      return ok(configDocument(p.config, 'ContinuousDeploymentPolicyConfig'), p.etag);
    }
    case 'UpdateContinuousDeploymentPolicy': {
      const p = model.updatePolicy(id, req.ifMatch, parseBody(req.body, 'ContinuousDeploymentPolicyConfig'));
      return ok(policyXml(p), p.etag);
    }
    case 'DeleteContinuousDeploymentPolicy':
      model.deletePolicy(id, req.ifMatch);
      return { status: 204, xml: '', headers: {} };
  }
}
