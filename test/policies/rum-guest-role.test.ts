import * as aws from '@pulumi/aws';
import { expect } from 'chai';
import { rumGuestRoleLeastPrivilege } from '../../policies/rum-guest-role';
import { prodFixture, type Fixture } from './fixtures';
import { messagesOf, resourceOf } from './helpers';

describe('rum-guest-role-least-privilege', function () {
  this.timeout(60_000);
  let f: Fixture;
  beforeEach(async () => {
    f = await prodFixture();
  });
  const role = () => f.find(aws.iam.Role, 'cdn-rum-guest');
  const inline = () => f.all(aws.iam.RolePolicy).find((p) => p.props.role === 'cdn-rum-guest')!;
  const setPolicy = (statements: unknown[]) => { inline().props.policy = JSON.stringify({ Version: '2012-10-17', Statement: statements }); };
  const trust = () => JSON.parse(role().props.assumeRolePolicy as string);
  const setTrust = (doc: unknown) => { role().props.assumeRolePolicy = JSON.stringify(doc); };

  it('passes the prod stack (one statement: rum:PutRumEvents on its app monitor; trust by its pool, unauthenticated only)', async () => {
    expect(f.all(aws.rum.AppMonitor)).to.have.length(1);
    expect(await messagesOf(rumGuestRoleLeastPrivilege, f.stack)).to.deep.equal([]);
  });

  it('reports a wildcard resource and an extra action', async () => {
    setPolicy([{ Effect: 'Allow', Action: ['rum:PutRumEvents', 's3:GetObject'], Resource: 'arn:aws:rum:us-east-1:123456789012:appmonitor/*' }]);
    expect(await messagesOf(rumGuestRoleLeastPrivilege, f.stack)).to.deep.equal([
      "role 'cdn-rum-guest' is an unauthenticated Cognito role that grants 's3:GetObject'; anyone can get its credentials, so grant only 'rum:PutRumEvents'.",
      "role 'cdn-rum-guest' is an unauthenticated Cognito role that grants 'rum:PutRumEvents' and 's3:GetObject' on 'arn:aws:rum:us-east-1:123456789012:appmonitor/*'; name only this stack's app monitor ARN (arn:aws:rum:<region>:<account>:appmonitor/<name>).",
    ]);
  });

  it("reports another stack's app monitor and a managed policy", async () => {
    setPolicy([{ Effect: 'Allow', Action: 'rum:PutRumEvents', Resource: 'arn:aws:rum:us-east-1:123456789012:appmonitor/media-cdn-staging' }]);
    const attachment = resourceOf(aws.iam.RolePolicyAttachment, 'guest-readonly', { role: 'cdn-rum-guest', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    expect(await messagesOf(rumGuestRoleLeastPrivilege, [...f.stack, attachment])).to.deep.equal([
      "role 'cdn-rum-guest' is an unauthenticated Cognito role with 1 managed policy attached; detach them and grant only 'rum:PutRumEvents' inline.",
      "role 'cdn-rum-guest' is an unauthenticated Cognito role that grants 'rum:PutRumEvents' on 'arn:aws:rum:us-east-1:123456789012:appmonitor/media-cdn-staging'; name only this stack's app monitor ARN (arn:aws:rum:<region>:<account>:appmonitor/<name>).",
    ]);
  });

  it('reports a trust without the aud and amr conditions', async () => {
    const doc = trust();
    delete doc.Statement[0].Condition;
    setTrust(doc);
    expect(await messagesOf(rumGuestRoleLeastPrivilege, f.stack)).to.deep.equal([
      "role 'cdn-rum-guest' lets Cognito identities assume it from any identity pool (no cognito-identity.amazonaws.com:aud condition); add StringEquals cognito-identity.amazonaws.com:aud = the identity pool's id.",
      "role 'cdn-rum-guest' lets signed-in and unauthenticated Cognito identities alike assume it (no cognito-identity.amazonaws.com:amr condition); add ForAnyValue:StringLike cognito-identity.amazonaws.com:amr = 'unauthenticated'.",
    ]);
  });

  it('reports a trust by another identity pool', async () => {
    const doc = trust();
    doc.Statement[0].Condition.StringEquals['cognito-identity.amazonaws.com:aud'] = 'us-east-1:00000000-0000-0000-0000-000000000000';
    setTrust(doc);
    expect(await messagesOf(rumGuestRoleLeastPrivilege, f.stack)).to.deep.equal([
      "role 'cdn-rum-guest' lets Cognito identities assume it from identity pool(s) 'us-east-1:00000000-0000-0000-0000-000000000000', not only this stack's; add StringEquals cognito-identity.amazonaws.com:aud = the identity pool's id.",
    ]);
  });

  it('leaves roles of signed-in identities and of AWS services alone', async () => {
    const doc = trust();
    doc.Statement[0].Condition['ForAnyValue:StringLike']['cognito-identity.amazonaws.com:amr'] = 'authenticated';
    setTrust(doc);
    setPolicy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
    expect(await messagesOf(rumGuestRoleLeastPrivilege, f.stack)).to.deep.equal([]);
  });
});
