/**
 * The media-cdn CrossGuard policy pack:
 *   pulumi preview --stack prod --policy-pack policies --policy-pack-config policies/config/prod.json
 * Rules live in one module per group (caching, cache-ratio, security, origin-buckets; see rules.ts);
 * per-stack levels come from policies/config/<stack>.json (enforcement.ts, docs/policies.md).
 */
import { PolicyPack } from '@pulumi/policy';
import { POLICIES } from './rules';

new PolicyPack('media-cdn', {
  description: 'Caching rules per content type, hit-ratio alarms, the CloudFront security baseline and origin buckets for media-cdn.',
  enforcementLevel: 'advisory',
  policies: [...POLICIES],
});
