import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import { buildWorkgroupConfiguration } from '../../lib/builders/log-analytics';
import { athenaWorkgroupEnforced } from '../../policies/security';
import { messagesOf, resourceOf } from './helpers';

describe('athena-workgroup-enforced', () => {
  const compliant = () => ({ name: 'media-cdn-prod-logs', configuration: buildWorkgroupConfiguration('s3://results/results/', 100) });
  const check = (props: Record<string, any>, settings: object = {}) => messagesOf(athenaWorkgroupEnforced, [resourceOf(aws.athena.Workgroup, 'wg', props)], settings);

  it('passes the workgroup LogAnalytics builds', async () => {
    expect(await check(compliant())).to.deep.equal([]);
  });

  it('reports a workgroup that does not enforce its configuration', async () => {
    const p = compliant();
    expect(await check({ ...p, configuration: { ...p.configuration, enforceWorkgroupConfiguration: false } })).to.deep.equal([
      'the workgroup does not enforce its configuration, so clients can override where results go, their encryption and the scan limit; set configuration.enforceWorkgroupConfiguration true.',
    ]);
  });

  it('reports unencrypted results', async () => {
    const p = compliant();
    const messages = await check({ ...p, configuration: { ...p.configuration, resultConfiguration: { outputLocation: 's3://results/' } } });
    expect(messages).to.have.length(1);
    expect(messages[0]).to.match(/query results are not encrypted/);
  });

  it('reports a missing or too large scan limit', async () => {
    const { bytesScannedCutoffPerQuery: _, ...noLimit } = compliant().configuration;
    expect(await check({ ...compliant(), configuration: noLimit })).to.deep.equal(['the workgroup has no per-query scan limit; set configuration.bytesScannedCutoffPerQuery (bytes).']);
    expect(await check(compliant(), { maxBytesScannedCutoff: 10e9 })).to.deep.equal(['the workgroup lets one query scan 100000000000 bytes; set configuration.bytesScannedCutoffPerQuery to at most 10000000000.']);
  });
});
