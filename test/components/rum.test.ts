import { expect } from 'chai';
import type { Plan } from '../../lib/plan';
import { findResource, findResources, inputsOf, planFor } from '../helpers/plan';

const T = {
  component: 'media-cdn:cdn:CdnRum',
  appMonitor: 'aws:rum/appMonitor:AppMonitor',
  identityPool: 'aws:cognito/identityPool:IdentityPool',
  attachment: 'aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  alarm: 'aws:cloudwatch/metricAlarm:MetricAlarm',
  dashboard: 'aws:cloudwatch/dashboard:Dashboard',
};

describe('CdnRum in the prod plan (under Pulumi mocks)', function () {
  this.timeout(120_000);
  let plan: Plan;
  before(async () => {
    plan = await planFor('prod');
  });

  it('creates one app monitor in us-east-1 for the player origins, sampling the configured share of sessions', () => {
    expect(findResources(plan, T.component)).to.have.length(1);
    const m = inputsOf(findResource(plan, T.appMonitor, 'cdn-rum'));
    expect(m).to.deep.include({ name: 'media-cdn-prod', region: 'us-east-1', cwLogEnabled: false });
    expect(m.domainLists).to.deep.equal(['www.example-stream.com', 'tv.example-stream.com']);
    expect(m.appMonitorConfiguration).to.deep.include({ sessionSampleRate: 0.1, telemetries: ['performance', 'errors', 'http'] });
    const pool = findResource(plan, T.identityPool, 'cdn-rum-identities');
    const role = findResource(plan, T.role, 'cdn-rum-guest');
    expect(m.appMonitorConfiguration.identityPoolId).to.equal(pool.id);
    expect(m.appMonitorConfiguration.guestRoleArn).to.equal(`arn:aws:iam::123456789012:role/${role.name}`);
  });

  it('has an identity pool that allows unauthenticated identities, with the guest role as its unauthenticated role', () => {
    const pool = findResource(plan, T.identityPool, 'cdn-rum-identities');
    expect(inputsOf(pool)).to.deep.include({ allowUnauthenticatedIdentities: true, allowClassicFlow: false, region: 'us-east-1' });
    const attachment = inputsOf(findResource(plan, T.attachment, 'cdn-rum-roles'));
    expect(attachment.identityPoolId).to.equal(pool.id);
    expect(attachment.roles).to.deep.equal({ unauthenticated: 'arn:aws:iam::123456789012:role/cdn-rum-guest' });
  });

  it('trusts only unauthenticated identities of that pool, and allows exactly one action on one resource', () => {
    const pool = findResource(plan, T.identityPool, 'cdn-rum-identities');
    const trust = JSON.parse(inputsOf(findResource(plan, T.role, 'cdn-rum-guest')).assumeRolePolicy);
    expect(trust.Statement).to.have.length(1);
    expect(trust.Statement[0].Principal).to.deep.equal({ Federated: 'cognito-identity.amazonaws.com' });
    expect(trust.Statement[0].Condition).to.deep.equal({
      StringEquals: { 'cognito-identity.amazonaws.com:aud': pool.id },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
    });
    const policies = findResources(plan, T.rolePolicy).filter((r) => inputsOf(r).role === 'cdn-rum-guest');
    expect(policies).to.have.length(1);
    const statements = JSON.parse(inputsOf(policies[0]!).policy).Statement;
    expect(statements.map((s: Record<string, unknown>) => [s.Effect, s.Action, s.Resource])).to.deep.equal([
      ['Allow', 'rum:PutRumEvents', 'arn:aws:rum:us-east-1:123456789012:appmonitor/media-cdn-prod'],
    ]);
  });

  it('alarms on LCP and JS errors of the app monitor, notifying the alarm topic, and shows them on the dashboard', () => {
    const names = ['cdn-rum-lcp-p90', 'cdn-rum-js-errors'];
    for (const n of names) {
      const a = inputsOf(findResource(plan, T.alarm, n));
      expect(a.alarmActions, n).to.deep.equal(['arn:aws:sns:us-east-1:123456789012:cdn-prod-alarms']);
      expect(a.region).to.equal('us-east-1');
    }
    expect(inputsOf(findResource(plan, T.alarm, 'cdn-rum-lcp-p90')).dimensions).to.deep.equal({ application_name: 'media-cdn-prod' });
    const body = JSON.parse(inputsOf(findResource(plan, T.dashboard, 'cdn-dashboard')).dashboardBody as string) as { widgets: { type: string; properties: Record<string, unknown> }[] };
    expect(body.widgets.filter((w) => String(w.properties.title).endsWith('— RUM'))).to.have.length(4);
    const alarms = body.widgets.find((w) => w.type === 'alarm')!.properties.alarms as string[];
    expect(alarms).to.include.members(['arn:aws:cloudwatch:us-east-1:123456789012:alarm:cdn-prod-rum-lcp-p90', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:cdn-prod-rum-js-errors']);
  });

  it('exports what the player snippet and npm run report need', () => {
    const o = plan.outputs as Record<string, unknown>;
    expect(o.rumAppMonitorName).to.equal('media-cdn-prod');
    expect(o.rumAppMonitorId).to.match(/^[0-9a-f-]{36}$/);
    expect(o.rumIdentityPoolId).to.equal(findResource(plan, T.identityPool, 'cdn-rum-identities').id);
    expect(o.rumGuestRoleArn).to.equal('arn:aws:iam::123456789012:role/cdn-rum-guest');
    expect(o.rumRegion).to.equal('us-east-1');
    expect(o.rumSessionSampleRate).to.equal(0.1);
  });
});

describe('a stack without RUM (staging, under Pulumi mocks)', function () {
  this.timeout(120_000);
  it('creates no app monitor, identity pool or RUM widget, and exports empty RUM outputs', async () => {
    const plan = await planFor('staging');
    expect(findResources(plan, T.appMonitor)).to.deep.equal([]);
    expect(findResources(plan, T.identityPool)).to.deep.equal([]);
    const body = JSON.parse(inputsOf(findResource(plan, T.dashboard, 'cdn-dashboard')).dashboardBody as string) as { widgets: { properties: Record<string, unknown> }[] };
    expect(body.widgets.filter((w) => String(w.properties.title).includes('RUM'))).to.deep.equal([]);
    expect((plan.outputs as Record<string, unknown>).rumAppMonitorName).to.equal('');
    expect((plan.outputs as Record<string, unknown>).rumSessionSampleRate).to.equal(0);
  });
});
