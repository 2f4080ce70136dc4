import { expect } from 'chai';
import { isCommaListHeader, isRemovableResponseHeader, misjoinedListItems } from '../../lib/semantics/response-headers';
import { buildResponseHeadersPolicyArgs } from '../../lib/builders/response-headers';
import { parseStackConfig } from '../../lib/config';
import { applyResponseHeadersPolicy, compileResponseHeadersPolicy } from '../../local/edge/response-headers';
import { readStackConfig } from '../../plan/stack-files';

const PEM = readStackConfig('prod')['media-cdn:signingPublicKeyPem'] as string;

describe('response-header rules', () => {
  it('lets a policy remove origin headers such as the cache-tag header, not the ones CloudFront keeps', () => {
    for (const h of ['x-amz-meta-cache-tags', 'Server', 'X-Powered-By']) expect(isRemovableResponseHeader(h), h).to.equal(true);
    for (const h of ['Content-Length', 'via', 'X-Cache', 'X-Amz-Cf-Pop', 'x-edge-location', 'Transfer-Encoding']) expect(isRemovableResponseHeader(h), h).to.equal(false);
  });

  it('knows which headers hold comma-separated lists', () => {
    for (const h of ['Timing-Allow-Origin', 'access-control-allow-headers', 'Access-Control-Expose-Headers', 'Vary']) expect(isCommaListHeader(h), h).to.equal(true);
    for (const h of ['Content-Type', 'X-Frame-Options']) expect(isCommaListHeader(h), h).to.equal(false);
  });

  it('finds list items joined with spaces instead of commas', () => {
    expect(misjoinedListItems('https://a.example https://b.example')).to.deep.equal(['https://a.example https://b.example']);
    expect(misjoinedListItems('https://a.example, https://b.example')).to.deep.equal([]);
    expect(misjoinedListItems('*')).to.deep.equal([]);
  });
});

describe('local edge: removeHeadersConfig', () => {
  const policy = { customHeadersConfig: { items: [{ header: 'Timing-Allow-Origin', value: '*', override: true }] }, removeHeadersConfig: { items: [{ header: 'X-Amz-Meta-Cache-Tags' }] } };

  it('drops the removed header from the viewer response, keeping the rest', () => {
    const headers = { 'x-amz-meta-cache-tags': 'video:1', 'content-type': 'video/mp2t' };
    applyResponseHeadersPolicy(policy, headers, undefined);
    expect(headers).to.deep.equal({ 'content-type': 'video/mp2t', 'timing-allow-origin': '*' });
    const compiled = { 'x-amz-meta-cache-tags': 'video:1' } as Record<string, string>;
    compileResponseHeadersPolicy(policy).apply(compiled, undefined);
    expect(compiled).to.deep.equal({ 'timing-allow-origin': '*' });
  });
});

describe('response headers policy: the cache-tag header', () => {
  const base = { environment: 'staging', signingPublicKeyPem: PEM };
  const removed = (raw: Record<string, unknown>) =>
    buildResponseHeadersPolicyArgs(parseStackConfig('staging', 'us-east-1', { ...base, ...raw }), 'h').removeHeadersConfig;

  it('removes the cache-tag header from viewer responses by default', () => {
    expect(removed({})).to.deep.equal({ items: [{ header: 'x-amz-meta-cache-tags' }] });
  });

  it('keeps it when removeCacheTagHeader is false (whether removal precedes tag extraction is unverified)', () => {
    expect(removed({ removeCacheTagHeader: false })).to.equal(undefined);
  });

  it('removes nothing when cache tags are off', () => {
    expect(removed({ cacheTagHeader: '' })).to.equal(undefined);
  });

  it('accepts a header CloudFront cannot remove only when it is not removed', () => {
    expect(() => parseStackConfig('staging', 'us-east-1', { ...base, cacheTagHeader: 'Via' })).to.throw(/cannot remove/);
    expect(() => parseStackConfig('staging', 'us-east-1', { ...base, cacheTagHeader: 'Via', removeCacheTagHeader: false })).not.to.throw();
  });
});
