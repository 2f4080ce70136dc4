/**
 * `rollback`: restores earlier versions of origin objects (S3 versioning: ListObjectVersions, then
 * CopyObject of the old version, or DeleteObject when the object did not exist at that time) and
 * invalidates the restored paths. `--dry-run` shows what it would restore and changes nothing.
 */
import { CopyObjectCommand, DeleteObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { InputError } from '../../lib/errors';
import { renderTable } from '../../lib/format/table';
import { isS3Origin, parseIsoTime, pathToKey, renderPlan, validateItems } from '../../lib/invalidation';
import { isTagItem, isWildcardPath } from '../../lib/semantics';
import { CheckFailed, EXIT_OK, writeJsonFile, type OptionValues } from '../lib/cli';
import { startProgress } from '../lib/progress';
import { COMMON_HELP, COMMON_OPTIONS, type Context } from './context';
import { enqueueInput, planSelection } from './planning';
import { PARKED } from './queue-store';
import { PLANNING_HELP, PLANNING_OPTIONS, planningFromValues, sendNow } from './submit';


export const ROLLBACK_SPEC = {
  usage: 'npm run invalidate -- [--stack X | --outputs f] rollback --to <time|versionId> <paths...>',
  summary:
    'Restores the versions of origin objects that were current at --to (an ISO time) or the version --to names, then invalidates them. ' +
    'Objects that did not exist at that time are deleted (a delete marker is added). Needs versioned buckets (the origins are).',
  options: {
    ...COMMON_OPTIONS,
    ...PLANNING_OPTIONS,
    paths: { type: 'string', multiple: true },
    to: { type: 'string' },
    'dry-run': { type: 'boolean' },
    wait: { type: 'boolean' },
    timeout: { type: 'number', integer: true, min: 1, max: 86_400, default: 600 },
    'request-id': { type: 'string' },
  },
  help: {
    ...COMMON_HELP,
    ...PLANNING_HELP,
    paths: 'paths to restore (repeatable, comma-separated); or give them as arguments',
    to: 'an ISO time (restore what was current then) or an S3 version id',
    'dry-run': 'show what would be restored; change nothing',
    wait: 'wait until the invalidation is Completed',
    timeout: 'seconds to wait (default 600)',
    'request-id': 'id of the invalidation request (default: derived from the paths and --to)',
  },
  allowPositionals: true,
  examples: [
    'npm run invalidate -- --stack prod rollback --to 2025-06-01T02:00:00Z /video/a/master.m3u8 /video/a/720p.m3u8 --dry-run',
    'npm run invalidate -- --stack prod rollback --to 3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY /static/app.js --wait',
  ],
} as const;

/** One version or delete marker of a key. */
export interface KeyVersion {
  readonly versionId: string;
  readonly etag?: string;
  readonly lastModified: Date;
  readonly isLatest: boolean;
  readonly deleteMarker: boolean;
}

export type RollbackAction = 'restore' | 'delete' | 'none';

export interface RollbackStep {
  readonly path: string;
  readonly bucket: string;
  readonly key: string;
  readonly current?: KeyVersion;
  readonly target?: KeyVersion;
  readonly action: RollbackAction;
  readonly why: string;
}

/** What to do for one key, given its versions (newest first) and `--to`. */
/**
 * Whether a --to value that is not an ISO time reads as a time anyway ('yesterday', '2 hours ago',
 * '2025-06-01', '06/01/2025'): such values are refused before any S3 call with the ISO form to use,
 * instead of being looked up as a version id that cannot exist.
 */
export function looksLikeTime(s: string): boolean {
  const t = s.trim().toLowerCase();
  return /^(now|today|yesterday|tomorrow|last\s+\w+)$/.test(t)
    || /^\d+\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)(\s+ago)?$/.test(t)
    || /^\d{4}-\d{2}-\d{2}$/.test(t) || /^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$/.test(t)
    || /\s/.test(t);
}

export function decideRollback(versions: readonly KeyVersion[], to: { time?: Date; versionId?: string }): { target?: KeyVersion; action: RollbackAction; why: string } | { problem: string } {
  const sorted = [...versions].sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
  const current = sorted.find((v) => v.isLatest) ?? sorted[0];
  let target: KeyVersion | undefined;
  if (to.versionId !== undefined) {
    target = sorted.find((v) => v.versionId === to.versionId);
    if (!target) return { problem: `has no version '${to.versionId}' (it has ${sorted.length}: ${sorted.slice(0, 5).map((v) => v.versionId).join(', ')}${sorted.length > 5 ? ', ...' : ''}); give a version id of this object or an ISO time.` };
  } else target = sorted.find((v) => v.lastModified.getTime() <= to.time!.getTime());
  const currentExists = current !== undefined && !current.deleteMarker;
  if (!target || target.deleteMarker) {
    return currentExists
      ? { ...(target ? { target } : {}), action: 'delete', why: 'did not exist at that time' }
      : { ...(target ? { target } : {}), action: 'none', why: 'absent then and now' };
  }
  if (current && target.versionId === current.versionId) return { target, action: 'none', why: 'that version is current' };
  if (currentExists && target.etag !== undefined && target.etag === current.etag) return { target, action: 'none', why: 'the current version has the same content' };
  return { target, action: 'restore', why: `restore version of ${target.lastModified.toISOString()}` };
}

async function keyVersions(s3: S3Client, bucket: string, key: string): Promise<KeyVersion[]> {
  const out: KeyVersion[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const r = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}) }));
    for (const v of r.Versions ?? []) if (v.Key === key) out.push({ versionId: v.VersionId ?? 'null', ...(v.ETag ? { etag: v.ETag } : {}), lastModified: v.LastModified ?? new Date(0), isLatest: v.IsLatest === true, deleteMarker: false });
    for (const m of r.DeleteMarkers ?? []) if (m.Key === key) out.push({ versionId: m.VersionId ?? 'null', lastModified: m.LastModified ?? new Date(0), isLatest: m.IsLatest === true, deleteMarker: true });
    if (!r.IsTruncated) break;
    keyMarker = r.NextKeyMarker;
    versionIdMarker = r.NextVersionIdMarker;
    if (keyMarker !== undefined && keyMarker > key) break;
  }
  return out;
}

export async function rollbackCommand(v: OptionValues<typeof ROLLBACK_SPEC.options>, positionals: readonly string[], ctx: Context): Promise<number> {
  const problems: string[] = [];
  const { planning, send } = planningFromValues(v, problems);
  const timeoutS = v.timeout;
  const given = [...positionals, ...(v.paths ?? []).flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p !== '')];
  const checked = validateItems(given.map((item, i) => ({ item, source: `path ${i + 1}` })));
  problems.push(...checked.problems);
  for (const p of checked.items) {
    if (isWildcardPath(p) || isTagItem(p)) problems.push(`rollback restores single objects, got ${isTagItem(p) ? 'the tag item' : 'the wildcard'} '${p}'; list each object's path.`);
    else if (p.includes('?')) problems.push(`rollback restores objects, got '${p}' with a query string; give the object's path without '?...'.`);
    else if (!isS3Origin(ctx.routing.originOf(p))) problems.push(`'${p}' is served by the ${ctx.routing.originOf(p)} origin, which is not an S3 bucket; rollback restores S3 object versions only.`);
  }
  let to: { time?: Date; versionId?: string } | undefined;
  const toRaw = v.to;
  if (toRaw === undefined || toRaw.trim() === '') problems.push("rollback needs --to: an ISO time such as '2025-06-01T02:00:00Z' or an S3 version id.");
  else if (/^\d{4}-\d{2}-\d{2}T/.test(toRaw)) {
    try {
      to = { time: parseIsoTime(toRaw, '--to') };
      if (to.time!.getTime() > ctx.now()) problems.push(`--to '${toRaw}' is in the future; give a past time.`);
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.problems);
      else throw e;
    }
  } else if (looksLikeTime(toRaw)) {
    problems.push(`--to '${toRaw}' reads as a time but is not an ISO time; give one with its zone, such as '${new Date(ctx.now() - 86_400_000).toISOString().slice(0, 19)}Z' (a day ago), or an S3 version id.`);
  } else to = { versionId: toRaw };
  if (problems.length > 0) throw new InputError(problems);

  // A rollback is one request: queued (parked) before S3 is touched and released once the objects
  // are restored, so an interrupted rollback, run again, finishes the restores and invalidates all.
  const requestId = v['request-id'] ?? `rollback-${createHash('sha256').update(JSON.stringify([[...new Set(checked.items)].sort(), toRaw])).digest('hex').slice(0, 12)}`;
  const store = ctx.queue();
  const earlier = store.request(requestId);
  if (earlier && earlier.notBefore !== PARKED) {
    if (v['dry-run']) {
      ctx.out(`dry run: this rollback was applied already (request ${requestId}); give another --request-id to run it again.`);
      return EXIT_OK;
    }
    ctx.out(`this rollback was applied already (request ${requestId}); making sure its invalidation completes. Give another --request-id to run it again.`);
    const outcome = await sendNow(ctx, requestId, send, { wait: v.wait === true, timeoutMs: timeoutS * 1000 });
    if (!outcome.ok) throw new CheckFailed(`error: ${outcome.message}`);
    ctx.out(outcome.message);
    return EXIT_OK;
  }

  const s3 = ctx.s3();
  const steps: RollbackStep[] = [];
  const progress = startProgress('reading versions', checked.items.length, { quiet: ctx.quiet });
  for (const path of [...new Set(checked.items)]) {
    const origin = ctx.routing.originOf(path) as 'video' | 'images' | 'static';
    const bucket = ctx.outputs.buckets[origin].name;
    const key = pathToKey(path);
    const versions = await keyVersions(s3, bucket, key);
    const d = decideRollback(versions, to!);
    progress.increment();
    if ('problem' in d) {
      problems.push(`'${path}' (s3://${bucket}/${key}) ${d.problem}`);
      continue;
    }
    const current = [...versions].find((x) => x.isLatest);
    steps.push({ path, bucket, key, ...(current ? { current } : {}), ...(d.target ? { target: d.target } : {}), action: d.action, why: d.why });
  }
  progress.stop();
  if (problems.length > 0) throw new InputError(problems);

  const table = renderTable(
    ['path', 'current version', 'restore to', 'action'],
    steps.map((s) => [s.path, s.current ? `${s.current.deleteMarker ? '(deleted) ' : ''}${s.current.versionId}` : '-', s.target ? `${s.target.deleteMarker ? '(deleted) ' : ''}${s.target.versionId} (${s.target.lastModified.toISOString()})` : '(did not exist)', `${s.action}: ${s.why}`]),
  );
  ctx.out(table);
  const changing = steps.filter((s) => s.action !== 'none');
  if (v['dry-run']) {
    ctx.out(`\ndry run: ${changing.length} objects would be restored or removed and invalidated; nothing was changed.`);
    if (v.json) writeJsonFile(v.json, { dryRun: true, steps });
    return EXIT_OK;
  }
  if (!earlier && changing.length === 0) {
    ctx.out('nothing to restore: every object is already as it was then.');
    if (v.json) writeJsonFile(v.json, { dryRun: false, steps, requestId: null });
    return EXIT_OK;
  }
  if (!earlier) {
    const planned = await planSelection({ paths: changing.map((s) => s.path), listOrigin: 'none' }, planning, ctx, () => Promise.resolve(''), { backoff: send.backoff });
    store.enqueue(enqueueInput(requestId, ctx.outputs.distributionId, 'rollback', PARKED, planned), ctx.now());
    if (!ctx.quiet) ctx.out(renderPlan(planned.plan, planned.batches, { maxItems: 20 }));
  }
  const apply = startProgress('restoring', changing.length, { quiet: ctx.quiet });
  for (const s of changing) {
    if (s.action === 'restore') {
      await s3.send(new CopyObjectCommand({ Bucket: s.bucket, Key: s.key, CopySource: `${s.bucket}/${encodeURIComponent(s.key)}?versionId=${encodeURIComponent(s.target!.versionId)}`, MetadataDirective: 'COPY' }));
    } else {
      await s3.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: s.key }));
    }
    apply.increment();
  }
  apply.stop();
  store.release(requestId, ctx.now());
  const outcome = await sendNow(ctx, requestId, send, { wait: v.wait === true, timeoutMs: timeoutS * 1000 });
  if (v.json) writeJsonFile(v.json, { dryRun: false, steps, requestId, invalidation: store.batches(requestId).map((b) => ({ state: b.state, invalidationId: b.invalidationId, items: b.items })) });
  if (!outcome.ok) throw new CheckFailed(`error: restored ${changing.length} objects, but the invalidation is incomplete: ${outcome.message}`);
  ctx.out(`restored ${changing.length} objects; ${outcome.message}`);
  return EXIT_OK;
}
