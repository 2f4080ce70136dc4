/**
 * The `candidate` block of stack config: settings that apply to the staging distribution only, until
 * `npm run rollout -- promote` copies the staging distribution's config onto the primary one and moves
 * the block into the stack config. Only keys that live in the distribution's own config (or in the
 * policies its behaviors point at) may be a candidate: aliases, certificate and web ACL cannot change
 * while continuous deployment is on, and a staging distribution serves no aliases (docs/deployment.md).
 */
export const CANDIDATE_KEYS = [
  'priceClass', 'httpVersion', 'ipv6', 'geoRestrictionType', 'geoRestrictionLocations',
  'originConnectionAttempts', 'originConnectionTimeoutSeconds', 'originReadTimeoutSeconds', 'originKeepaliveTimeoutSeconds',
  'corsAllowedOrigins', 'contentTypes',
] as const;

export type CandidateKey = (typeof CANDIDATE_KEYS)[number];

/** The validated candidate block: only candidate keys, raw values as in the stack file. */
export type CandidateValues = Readonly<Partial<Record<CandidateKey, unknown>>>;

/**
 * Checks the block's keys: candidate keys only, and only with a staging distribution.
 * @returns the problems, each naming `media-cdn:candidate.<key>`, the value and the fix.
 */
export function candidateShapeProblems(value: unknown, stagingDistribution: boolean): string[] {
  // Not an object: the schema's type check reports it.
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const problems: string[] = [];
  for (const key of Object.keys(value)) {
    if (!(CANDIDATE_KEYS as readonly string[]).includes(key)) {
      problems.push(`media-cdn:candidate.${key} cannot be tried on the staging distribution; a candidate may set only ${CANDIDATE_KEYS.join(', ')} (change other keys with a normal 'pulumi up').`);
    }
  }
  if (Object.keys(value).length > 0 && !stagingDistribution) {
    problems.push(`media-cdn:candidate is set (${Object.keys(value).join(', ')}) but media-cdn:stagingDistribution is false; a candidate is tried on the staging distribution, so set stagingDistribution: true or drop the candidate.`);
  }
  return problems;
}

/** Rewrites `media-cdn:<key>` to `media-cdn:candidate.<key>` in the problems of the merged config, for the candidate's keys. */
export function relabelCandidateProblems(problems: readonly string[], keys: readonly string[]): string[] {
  return problems.map((p) => keys.reduce((text, k) => text.replace(new RegExp(`media-cdn:${k}\\b`, 'g'), `media-cdn:candidate.${k}`), p));
}

/** Candidate keys that change the policies behaviors point at (cache policies, response headers policy). */
export const POLICY_CANDIDATE_KEYS: readonly CandidateKey[] = ['contentTypes', 'corsAllowedOrigins'];

/** The candidate needs its own cache and response headers policies (else the staging distribution shares the primary's). */
export function candidateNeedsOwnPolicies(candidate: CandidateValues): boolean {
  return POLICY_CANDIDATE_KEYS.some((k) => candidate[k] !== undefined);
}
