import { expect } from 'chai';
import { isCommaListHeader, isRemovableResponseHeader, misjoinedListItems } from '../../lib/semantics/response-headers';
import { applyResponseHeadersPolicy, compileResponseHeadersPolicy } from '../../local/edge/response-headers';

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
