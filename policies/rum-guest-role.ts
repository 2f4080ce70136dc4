/**
 * The web player's real-user monitoring: the role unauthenticated Cognito identities assume holds
 * credentials anyone can get (the identity pool id ships in the player's JavaScript), so it may only
 * send RUM events to this stack's app monitor, and only identities of this stack's identity pool
 * may assume it.
 */
import * as aws from '@pulumi/aws';
import type { PolicyResource } from '@pulumi/policy';
import { stackRule } from './lib/define';
import { ofType, policyDocument } from './lib/stack';
import { quoteList } from './lib/text';

const COGNITO = 'cognito-identity.amazonaws.com';

type Statement = Record<string, unknown>;

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const statementsOf = (doc: unknown): Statement[] => list(policyDocument(doc)?.Statement).filter((s): s is Statement => s !== null && typeof s === 'object');

/** Statements of a trust policy that let Cognito identities assume the role. */
function cognitoTrust(role: PolicyResource): Statement[] {
  return statementsOf(role.props.assumeRolePolicy).filter((s) => list((s.Principal as Statement | undefined)?.Federated).includes(COGNITO));
}

/** The `amr` values a Cognito trust statement admits; empty when it does not restrict them. */
function amrValues(s: Statement): string[] {
  const c = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
  return Object.values(c).flatMap((block) => list(block?.[`${COGNITO}:amr`]).map(String));
}

/** Whether the role is the one named, by its name, id or ARN (the plan has ids; the engine ARNs too). */
function isRole(role: PolicyResource, ref: unknown): boolean {
  if (typeof ref !== 'string' || ref === '') return false;
  const names = [role.props.name, role.props.id, role.name].filter((n): n is string => typeof n === 'string' && n !== '');
  return ref === role.props.arn || names.some((n) => ref === n || ref.endsWith(`:role/${n}`));
}

/** Whether an ARN names an app monitor of the stack (the plan has names; the engine ARNs too). */
function isStackAppMonitor(resource: unknown, monitors: readonly PolicyResource[]): boolean {
  if (typeof resource !== 'string' || /[*?]/.test(resource)) return false;
  return monitors.some((m) => resource === m.props.arn || (typeof m.props.name === 'string' && new RegExp(`^arn:aws[a-z-]*:rum:[a-z0-9-]+:\\d{12}:appmonitor/${m.props.name.replace(/[.]/g, '\\.')}$`).test(resource)));
}

export const rumGuestRoleLeastPrivilege = stackRule({
  name: 'rum-guest-role-least-privilege',
  description: "A role unauthenticated Cognito identities may assume is trusted only by this stack's identity pool and may only send RUM events to this stack's app monitor.",
  remediationSteps: "Build the trust policy with rumGuestTrustPolicy (aud = the identity pool id, amr = unauthenticated) and give the role one inline policy, rumGuestPolicy: rum:PutRumEvents on the app monitor's ARN (lib/monitoring/rum.ts); attach no managed policy.",
  docs: {
    group: 'security',
    why: 'The identity pool id ships in the web player, so anyone can get the guest credentials: any permission beyond sending events to this one app monitor is open to the internet, and a trust without the aud condition lets identities of any pool assume the role.',
    references: ['CloudWatch RUM: authorize your application to send data to AWS (Cognito identity pool)', 'Security Hub IAM.1'],
  },
  config: {
    allowedActions: { type: 'array', items: { type: 'string' }, default: ['rum:PutRumEvents'], description: 'The actions an unauthenticated Cognito role may be granted.' },
  },
  validate(args, report, config) {
    const pools = new Set(ofType(args.resources, aws.cognito.IdentityPool).map((p) => p.props.id).filter((id): id is string => typeof id === 'string'));
    const monitors = ofType(args.resources, aws.rum.AppMonitor);
    for (const role of ofType(args.resources, aws.iam.Role)) {
      const trust = cognitoTrust(role);
      if (trust.length === 0) continue;
      const label = `role '${role.name}'`;
      const amrs = trust.flatMap(amrValues);
      if (amrs.length > 0 && !amrs.includes('unauthenticated')) continue; // a role for signed-in users: not a guest role
      for (const s of trust) {
        const c = (s.Condition ?? {}) as Record<string, Record<string, unknown>>;
        const aud = list(c.StringEquals?.[`${COGNITO}:aud`]).map(String);
        if (aud.length === 0 || aud.some((a) => !pools.has(a))) {
          report(`${label} lets Cognito identities assume it ${aud.length === 0 ? 'from any identity pool (no cognito-identity.amazonaws.com:aud condition)' : `from identity pool(s) ${quoteList(aud)}, not only this stack's`}; add StringEquals cognito-identity.amazonaws.com:aud = the identity pool's id.`, role.urn);
        }
        if (amrValues(s).length === 0) report(`${label} lets signed-in and unauthenticated Cognito identities alike assume it (no cognito-identity.amazonaws.com:amr condition); add ForAnyValue:StringLike cognito-identity.amazonaws.com:amr = 'unauthenticated'.`, role.urn);
      }
      const managed = list(role.props.managedPolicyArns).length + ofType(args.resources, aws.iam.RolePolicyAttachment).filter((a) => isRole(role, a.props.role)).length;
      if (managed > 0) report(`${label} is an unauthenticated Cognito role with ${managed} managed polic${managed === 1 ? 'y' : 'ies'} attached; detach them and grant only ${quoteList(config.allowedActions)} inline.`, role.urn);
      const inline = [...list(role.props.inlinePolicies).map((p) => (p as Statement).policy), ...ofType(args.resources, aws.iam.RolePolicy).filter((p) => isRole(role, p.props.role)).map((p) => p.props.policy)];
      for (const s of inline.flatMap(statementsOf)) {
        if (s.Effect === 'Deny') continue;
        const actions = list(s.Action).map(String);
        const extra = [...actions.filter((a) => !config.allowedActions.includes(a)), ...(s.NotAction !== undefined ? ['NotAction'] : [])];
        if (extra.length > 0) report(`${label} is an unauthenticated Cognito role that grants ${quoteList(extra)}; anyone can get its credentials, so grant only ${quoteList(config.allowedActions)}.`, role.urn);
        const resources = list(s.Resource);
        const outside = resources.filter((r) => !isStackAppMonitor(r, monitors)).map(String);
        if (outside.length > 0 || resources.length === 0) report(`${label} is an unauthenticated Cognito role that grants ${quoteList(actions)} on ${resources.length === 0 ? 'no named resource' : quoteList(outside)}; name only this stack's app monitor ARN (arn:aws:rum:<region>:<account>:appmonitor/<name>).`, role.urn);
      }
    }
  },
});
