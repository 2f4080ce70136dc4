import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import type { CheckedResource } from '../../policies/offline';
import {
  explicitNamesPerStack, listHeadersCommaSeparated, noDimensionalAnomalyMonitor, replacedResourcesAutonamed, wafRateRulesScoped,
} from '../../policies/deployment';
import { messagesOf, typeOf } from './helpers';

type Cls = { new (...rest: any[]): any };

/** A resource of the 'prod' stack, as the engine and the offline plan give it (URN with the stack). */
function prodResource(cls: Cls, name: string, props: Record<string, any>): CheckedResource {
  return { type: typeOf(cls), urn: `urn:pulumi:prod::media-cdn::${typeOf(cls)}::${name}`, name, props };
}

describe('deployment rules', () => {
  describe('explicit-names-per-stack', () => {
    it('accepts names that carry the stack, and autonamed resources', async () => {
      expect(await messagesOf(explicitNamesPerStack, [
        prodResource(aws.cloudwatch.LogDeliverySource, 'cdn-distribution-log-source', { name: 'cdn-prod-distribution-access-logs' }),
        prodResource(aws.cloudwatch.LogGroup, 'cdn-access-logs', { name: '/aws/vendedlogs/cloudfront/media-cdn-prod' }),
        prodResource(aws.cloudfront.PublicKey, 'cdn-signing-key', {}),
      ])).to.deep.equal([]);
    });

    it('reports a name shared by every stack, such as the old log delivery source', async () => {
      expect(await messagesOf(explicitNamesPerStack, [
        prodResource(aws.cloudwatch.LogDeliverySource, 'cdn-distribution-log-source', { name: 'cdn-distribution-access-logs' }),
        prodResource(aws.cloudwatch.Dashboard, 'cdn-dashboard', { dashboardName: 'media-cdn-production' }),
      ])).to.deep.equal([
        "LogDeliverySource 'cdn-distribution-log-source' is named 'cdn-distribution-access-logs' (name), which does not carry the stack name 'prod'; another stack in the account would collide with it. Put the stack in the name or let Pulumi autoname it.",
        "Dashboard 'cdn-dashboard' is named 'media-cdn-production' (dashboardName), which does not carry the stack name 'prod'; another stack in the account would collide with it. Put the stack in the name or let Pulumi autoname it.",
      ]);
    });

    it('leaves exempted types alone', async () => {
      expect(await messagesOf(explicitNamesPerStack, [prodResource(aws.cloudwatch.Dashboard, 'd', { dashboardName: 'shared' })], { exemptTypes: ['aws:cloudwatch/dashboard:Dashboard'] })).to.deep.equal([]);
    });
  });

  describe('replaced-resources-autonamed', () => {
    it('accepts an autonamed public key', async () => {
      expect(await messagesOf(replacedResourcesAutonamed, [prodResource(aws.cloudfront.PublicKey, 'cdn-signing-key', { encodedKey: 'PEM' })])).to.deep.equal([]);
    });

    it('reports a public key with a fixed name, even one that carries the stack', async () => {
      expect(await messagesOf(replacedResourcesAutonamed, [prodResource(aws.cloudfront.PublicKey, 'cdn-signing-key', { name: 'cdn-prod-signing-key', encodedKey: 'PEM' })])).to.deep.equal([
        "PublicKey 'cdn-signing-key' has the explicit name 'cdn-prod-signing-key', but a change of encodedKey replaces it create-before-delete and the new one would collide with that name; remove name and let Pulumi autoname it.",
      ]);
    });
  });

  describe('no-dimensional-anomaly-monitor', () => {
    it('accepts a CUSTOM monitor scoped to the stack tag', async () => {
      expect(await messagesOf(noDimensionalAnomalyMonitor, [prodResource(aws.costexplorer.AnomalyMonitor, 'm', { name: 'cdn-prod-spend', monitorType: 'CUSTOM', monitorSpecification: '{"Tags":{"Key":"media-cdn:stack","Values":["prod"]}}' })])).to.deep.equal([]);
    });

    it('reports the per-service dimensional monitor', async () => {
      expect(await messagesOf(noDimensionalAnomalyMonitor, [prodResource(aws.costexplorer.AnomalyMonitor, 'm', { name: 'cdn-prod-services', monitorType: 'DIMENSIONAL', monitorDimension: 'SERVICE' })])).to.deep.equal([
        "the anomaly monitor 'cdn-prod-services' is DIMENSIONAL (SERVICE); an account holds one, created by AWS by default. Create a CUSTOM monitor scoped to this stack, or subscribe to the existing one.",
      ]);
    });
  });

  describe('waf-rate-rules-scoped', () => {
    const rate = (scopeDown?: object) => ({ name: 'cdn-prod-edge', scope: 'CLOUDFRONT', rules: [{ name: 'rate-limit', statement: { rateBasedStatement: { limit: 5000, aggregateKeyType: 'IP', ...(scopeDown ? { scopeDownStatement: scopeDown } : {}) } } }] });

    it('accepts a rate rule scoped down to the API', async () => {
      expect(await messagesOf(wafRateRulesScoped, [prodResource(aws.wafv2.WebAcl, 'cdn-waf', rate({ byteMatchStatement: { searchString: '/api/', positionalConstraint: 'STARTS_WITH' } }))])).to.deep.equal([]);
    });

    it('reports a rate rule that counts every request', async () => {
      expect(await messagesOf(wafRateRulesScoped, [prodResource(aws.wafv2.WebAcl, 'cdn-waf', rate())])).to.deep.equal([
        "rule 'rate-limit' of web ACL 'cdn-prod-edge' rate-limits every request (limit 5000 per IP) with no scope-down statement, so video segments and thumbnails count; scope it down to the dynamic routes.",
      ]);
    });
  });

  describe('list-headers-comma-separated', () => {
    const policy = (header: string, value: string) => prodResource(aws.cloudfront.ResponseHeadersPolicy, 'h', { name: 'cdn-prod-headers', customHeadersConfig: { items: [{ header, value, override: true }] } });

    it('accepts comma-separated lists, a single value, and headers that are no lists', async () => {
      for (const p of [policy('Timing-Allow-Origin', 'https://a.example, https://b.example'), policy('Timing-Allow-Origin', '*'), policy('X-Note', 'two words')]) {
        expect(await messagesOf(listHeadersCommaSeparated, [p])).to.deep.equal([]);
      }
    });

    it('reports origins joined with spaces', async () => {
      expect(await messagesOf(listHeadersCommaSeparated, [policy('Timing-Allow-Origin', 'https://a.example https://b.example')])).to.deep.equal([
        "header 'Timing-Allow-Origin' of response headers policy 'cdn-prod-headers' is 'https://a.example https://b.example': 'https://a.example https://b.example' joins items with spaces; separate them with commas.",
      ]);
      expect(await messagesOf(listHeadersCommaSeparated, [policy('Access-Control-Allow-Headers', 'Range Content-Type')])).to.have.length(1);
    });
  });
});
