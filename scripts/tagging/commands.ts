/**
 * The `npm run tag` subcommands: `apply` (default) sets the catalog's cache tags on existing objects
 * by rewriting their metadata in place — paginated, resumable, with a progress bar; `audit` lists
 * objects whose tags are missing or stale; `upload` puts a new object with its tags. The rules are
 * lib/tagging's; this module does the listing, the reads and the writes.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CACHE_TAG_HEADER, resolveCatalog } from '../../lib/catalog';
import { mediaTypeForKey } from '../../lib/compression/media-types';
import { collectProblems, InputError, show } from '../../lib/errors';
import { classifyError } from '../../lib/error-kinds';
import { keyFromArgument } from '../../lib/object-key';
import { renderTable } from '../../lib/format/table';
import { buildRouting, isS3Origin, type Routing } from '../../lib/invalidation';
import type { StackOutputs } from '../../lib/outputs';
import {
  advance, auditClean, newCheckpoint, objectTagStatus, parseCheckpoint, summarizeAudit, taggedMetadata, tagSettings,
  type ObjectTagStatus, type TagCheckpoint, type TagSettings,
} from '../../lib/tagging';
import { CheckFailed, EXIT_OK, readJsonFile, STACK_SOURCE_HELP, STACK_SOURCE_OPTIONS, writeJsonFile, type OptionValues, type StackSource } from '../lib/cli';
import { startProgress } from '../lib/progress';
import { AWS_CONNECTION_HELP, AWS_CONNECTION_OPTIONS, checkEndpoints, connectionOptions, s3Client } from '../../adapters/aws-clients';
import { mapConcurrent } from '../../lib/concurrency';
import { copyInPlace, headObject, keyPages } from './s3';
import { putTaggedObject } from './upload';

type CommonValues = OptionValues<typeof COMMON_OPTIONS>;
type S3OriginName = keyof StackOutputs['buckets'];

export const USAGE = 'npm run tag --';

/** Clients and streams a test may pass instead of the real ones. */
export interface TagDeps {
  readonly s3?: (region: string) => S3Client;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

export interface TagContext {
  readonly outputs: StackOutputs;
  readonly routing: Routing;
  readonly settings: TagSettings;
  s3(): S3Client;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly quiet: boolean;
  close(): void;
}

/**
 * The header objects are tagged for: `--header`, else the stack's `cacheTagHeader` output, else
 * the default (stacks deployed before the output existed).
 * @throws InputError when the stack has cache tags off and no --header is given.
 */
export function headerFor(outputs: StackOutputs, given: string | undefined): string {
  if (given !== undefined) return given;
  if (outputs.cacheTagHeader === '') {
    throw new InputError("the stack has cache tags off (media-cdn:cacheTagHeader is ''); set it to 'x-amz-meta-cache-tags' and deploy, or pass --header to tag anyway.");
  }
  return outputs.cacheTagHeader ?? DEFAULT_CACHE_TAG_HEADER;
}

export function createTagContext(source: StackSource, v: CommonValues, deps: TagDeps): TagContext {
  const outputs = source.outputs;
  const settings = tagSettings(resolveCatalog(), headerFor(outputs, v.header));
  const connection = connectionOptions(v);
  if (!deps.s3) checkEndpoints(['S3'], connection);
  let s3: S3Client | undefined;
  return {
    outputs,
    routing: buildRouting(outputs.contentTypes),
    settings,
    s3: () => (s3 ??= deps.s3 ? deps.s3(outputs.region) : s3Client(connection, outputs.region)),
    out: deps.out ?? ((l) => process.stdout.write(`${l}\n`)),
    err: deps.err ?? ((l) => process.stderr.write(`${l}\n`)),
    quiet: v.quiet === true,
    close: () => s3?.destroy(),
  };
}

/** One listing: a bucket of the stack and a key prefix. */
export interface TagTarget {
  readonly origin: S3OriginName;
  readonly bucket: string;
  readonly prefix: string;
}

/**
 * The buckets and key prefixes of `--prefix` (repeatable; `video/123/` or `/video/123/`), each in the
 * bucket of the origin that serves it, or of `--origin`.
 * @throws InputError for no prefix, a prefix served by a custom origin, or an unknown origin.
 */
export function targetsOf(ctx: Pick<TagContext, 'outputs' | 'routing'>, prefixes: readonly string[], origin: string | undefined): TagTarget[] {
  const problems: string[] = [];
  if (prefixes.length === 0) problems.push("give at least one --prefix, e.g. --prefix video/123/ (and --prefix thumbnails/123/ --prefix previews/123/ for all of a video's objects).");
  if (origin !== undefined && !isS3Origin(origin)) problems.push(`--origin must be one of the S3 origins video, images, static, got ${show(origin)}.`);
  const out: TagTarget[] = [];
  for (const raw of prefixes) {
    let prefix: string;
    try {
      prefix = keyFromArgument(raw, '--prefix', { prefix: true });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems);
      continue;
    }
    if (prefix === '' && origin === undefined) {
      problems.push("--prefix '' (a whole bucket) needs --origin video|images|static to say which bucket.");
      continue;
    }
    const served = origin ?? ctx.routing.originOf(`/${prefix}`);
    if (!isS3Origin(served)) {
      problems.push(`--prefix ${show(raw)} is served by the custom origin '${served}', which cannot be tagged from here: it must send the cache-tag header itself (docs/invalidation.md, "Cache tags").`);
      continue;
    }
    const bucket = ctx.outputs.buckets[served as S3OriginName]?.name;
    if (!bucket) {
      problems.push(`the stack outputs have no bucket for origin '${served}'; check buckets.${served}.name.`);
      continue;
    }
    if (!out.some((t) => t.bucket === bucket && t.prefix === prefix)) out.push({ origin: served as S3OriginName, bucket, prefix });
  }
  if (problems.length > 0) throw new InputError(problems);
  return out;
}

function prefixesOf(v: { prefix?: string[] }): string[] {
  return v.prefix ?? [];
}

// ------------------------------------------------------------------ apply

export const COMMON_OPTIONS = {
  ...STACK_SOURCE_OPTIONS,
  ...AWS_CONNECTION_OPTIONS,
  header: { type: 'string' },
  json: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

export const COMMON_HELP = {
  ...STACK_SOURCE_HELP,
  ...AWS_CONNECTION_HELP,
  header: "the cache-tag header objects are tagged for (default: the stack's cacheTagHeader output, else x-amz-meta-cache-tags)",
  json: 'write the result as JSON to this file',
  quiet: 'print only errors and the final line',
} as const;

export const APPLY_SPEC = {
  usage: 'npm run tag -- [--stack X | --plan f | --outputs f] [apply] --prefix <key prefix> [--prefix ...] [--dry-run]',
  summary:
    "Sets the catalog's cache tags on existing objects: each object under the prefixes whose tags are missing or stale is copied onto itself " +
    'with replaced user metadata (Content-Type, Cache-Control and the other headers kept; conditional on its ETag). Paginated and resumable ' +
    '(--resume continues after the last finished page).',
  options: {
    ...COMMON_OPTIONS,
    prefix: { type: 'string', multiple: true },
    origin: { type: 'string' },
    'dry-run': { type: 'boolean' },
    offline: { type: 'boolean' },
    resume: { type: 'boolean' },
    state: { type: 'string' },
    concurrency: { type: 'number', integer: true, min: 1, max: 256, default: 16 },
    'page-size': { type: 'number', integer: true, min: 1, max: 1000, default: 1000 },
  },
  help: {
    ...COMMON_HELP,
    prefix: "key prefix to tag, e.g. video/123/ (repeatable); the bucket is the origin's that serves it",
    origin: "the bucket's origin (video, images, static) instead of the one serving the prefix; needed for --prefix ''",
    'dry-run': 'list what would change; write nothing (without AWS credentials: the tags each prefix would carry, said so)',
    offline: "with --dry-run: list nothing; show the tags each prefix's objects would carry",
    resume: 'continue a stopped run from its state file',
    state: 'the state file (default .local/tag-state-<hash of the prefixes and header>.json)',
    concurrency: 'objects read and rewritten at once (default 16)',
    'page-size': 'keys per ListObjectsV2 page (default 1000)',
  },
  allowPositionals: true,
  examples: [
    'npm run tag -- --stack prod --prefix video/123/ --prefix thumbnails/123/ --prefix previews/123/ --dry-run',
    'npm run tag -- --outputs outputs.json --prefix video/ --resume',
  ],
} as const;

/** What a tagging run did, for the report and --json. */
export interface ApplyResult {
  readonly dryRun: boolean;
  readonly headerName: string;
  readonly metadataKey: string;
  readonly targets: readonly TagTarget[];
  readonly counts: TagCheckpoint['counts'];
  /** Objects tagged (or that would be), with their tags before and after. */
  readonly changes: readonly { bucket: string; key: string; state: string; before: readonly string[]; after: readonly string[] }[];
  readonly failures: readonly { bucket: string; key: string; error: string }[];
  readonly stateFile?: string;
}

function defaultStateFile(targets: readonly TagTarget[], header: string): string {
  const id = createHash('sha256').update(JSON.stringify([header, targets.map((t) => `${t.bucket}/${t.prefix}`).sort()])).digest('hex').slice(0, 12);
  return resolve('.local', `tag-state-${id}.json`);
}

export async function applyCommand(v: OptionValues<typeof APPLY_SPEC.options>, ctx: TagContext): Promise<number> {
  const problems: string[] = [];
  const { concurrency, 'page-size': pageSize } = v;
  let targets: TagTarget[] = [];
  try {
    targets = targetsOf(ctx, prefixesOf(v), v.origin);
  } catch (e) {
    if (e instanceof InputError) problems.push(...e.problems);
    else throw e;
  }
  const dryRun = v['dry-run'] === true;
  if (dryRun && v.resume) problems.push('--dry-run and --resume do not go together: a dry run writes no state.');
  if (problems.length > 0) throw new InputError(problems);

  const { settings } = ctx;
  const stateFile = resolve(v.state ?? defaultStateFile(targets, settings.headerName));
  let checkpoint: TagCheckpoint = newCheckpoint(settings.headerName, targets);
  if (v.resume) {
    if (!existsSync(stateFile)) throw new InputError(`--resume: no state file '${stateFile}'; run without --resume to start, or give --state.`);
    checkpoint = parseCheckpoint(readJsonFile(stateFile, 'state'), stateFile, settings.headerName, targets);
  }
  const counts = { ...checkpoint.counts };
  const changes: ApplyResult['changes'][number][] = [];
  const failures: ApplyResult['failures'][number][] = [];
  const s3 = ctx.s3();
  if (v.offline === true) {
    if (!dryRun) throw new InputError('--offline plans without listing and writes nothing: add --dry-run.');
    return offlineApplyPlan(targets, ctx, v.json, '--offline');
  }
  const progress = startProgress(dryRun ? 'checking tags' : 'tagging', counts.scanned, { quiet: ctx.quiet });
  progress.increment(counts.scanned);
  let listed = counts.scanned;

  try {
    for (const t of targets) {
      const at = checkpoint.targets.find((x) => x.bucket === t.bucket && x.prefix === t.prefix)!;
      if (at.done) continue;
      let after = at.after;
      for await (const page of keyPages(s3, t.bucket, t.prefix, { ...(after ? { startAfter: after } : {}), pageSize })) {
        listed += page.keys.length;
        progress.setTotal(listed);
        await mapConcurrent(page.keys, concurrency, async ({ key }) => {
          try {
            const head = await headObject(s3, t.bucket, key);
            if (!head) return; // deleted since the listing
            const status = objectTagStatus(settings, key, head.metadata);
            counts.scanned++;
            if (status.state === 'current') {
              counts.current++;
              return;
            }
            if (!dryRun) await copyInPlace(s3, t.bucket, key, head, taggedMetadata(settings, key, head.metadata).metadata);
            counts.tagged++;
            changes.push({ bucket: t.bucket, key, state: status.state, before: status.have, after: status.want });
          } catch (e) {
            counts.failed++;
            const err = e as { name?: string; message?: string };
            const error = err.name === 'PreconditionFailed'
              ? 'the object changed while it was being tagged (ETag mismatch); run again to tag the new version'
              : e instanceof InputError ? e.problems.join(' ') : `${err.name ?? 'Error'}: ${(err.message ?? '').split('\n')[0]}`;
            failures.push({ bucket: t.bucket, key, error });
          } finally {
            progress.increment();
          }
        });
        const last = page.keys[page.keys.length - 1]?.key;
        if (last !== undefined) after = last;
        checkpoint = advance(checkpoint, t.bucket, t.prefix, after, page.last, counts);
        if (!dryRun) writeJsonFile(stateFile, checkpoint);
      }
    }
  } catch (e) {
    // a dry run without credentials fails on its first listing: it plans what it can without it, the tags of each prefix
    if (dryRun && listed === 0 && classifyError(e).kind === 'credentials') return offlineApplyPlan(targets, ctx, v.json, 'no AWS credentials');
    throw e;
  } finally {
    progress.stop();
  }

  const result: ApplyResult = {
    dryRun, headerName: settings.headerName, metadataKey: settings.metadataKey, targets, counts,
    changes: changes.sort((a, b) => (a.bucket + a.key < b.bucket + b.key ? -1 : 1)),
    failures: failures.sort((a, b) => (a.bucket + a.key < b.bucket + b.key ? -1 : 1)),
    ...(dryRun ? {} : { stateFile }),
  };
  if (!ctx.quiet && result.changes.length > 0) {
    const shown = result.changes.slice(0, 20);
    ctx.out(renderTable(['object', 'was', dryRun ? 'would be' : 'now'], shown.map((c) => [`s3://${c.bucket}/${c.key}`, c.before.join(',') || '(none)', c.after.join(',')])));
    if (result.changes.length > shown.length) ctx.out(`… and ${result.changes.length - shown.length} more (--json lists them all).`);
  }
  for (const f of result.failures.slice(0, 20)) ctx.err(`error: s3://${f.bucket}/${f.key}: ${f.error}`);
  const verb = dryRun ? 'would tag' : 'tagged';
  ctx.out(`${dryRun ? 'dry run: ' : ''}${counts.scanned} objects checked for header ${settings.headerName} (metadata '${settings.metadataKey}'): ${verb} ${counts.tagged}, ${counts.current} already current, ${counts.failed} failed.`);
  if (!dryRun && counts.tagged > 0 && !ctx.quiet) {
    ctx.out(
      `cached copies fetched before now carry no tags: invalidate them once by path (e.g. 'npm run invalidate -- ${targets.map((t) => `/${t.prefix}*`).join(' ')}') ` +
      'or wait one max TTL before relying on tag invalidation.',
    );
  }
  if (v.json) writeJsonFile(v.json, result);
  if (counts.failed > 0) throw new CheckFailed(`error: ${counts.failed} objects could not be tagged; fix them and run again${dryRun ? '' : ' (--resume continues after the last finished page)'}.`);
  return EXIT_OK;
}

/**
 * `apply --dry-run` without AWS credentials: which objects exist is not known, so the plan shows, per
 * prefix, the cache tags the catalog gives an object there (a stand-in key) and says what it skipped.
 */
function offlineApplyPlan(targets: readonly TagTarget[], ctx: TagContext, json: string | undefined, why: string): number {
  const { settings } = ctx;
  const rows = targets.map((t) => {
    const key = `${t.prefix}${t.prefix === '' || t.prefix.endsWith('/') ? 'example' : ''}`;
    return { bucket: t.bucket, prefix: t.prefix, tags: objectTagStatus(settings, key, {}).want };
  });
  ctx.out(renderTable(['objects under', 'would carry'], rows.map((r) => [`s3://${r.bucket}/${r.prefix}*`, r.tags.join(',') || '(none)'])));
  ctx.err(`note: planned without listing (${why}): how many objects lack their tags is not known; with credentials (and without --offline) the dry run lists every object and counts what would change.`);
  ctx.out(`dry run (offline): ${targets.length} prefix(es) for header ${settings.headerName} (metadata '${settings.metadataKey}'). Nothing was written.`);
  if (json) writeJsonFile(json, { dryRun: true, offline: true, headerName: settings.headerName, metadataKey: settings.metadataKey, prefixes: rows });
  return EXIT_OK;
}

// ------------------------------------------------------------------ audit

export const AUDIT_SPEC = {
  usage: 'npm run tag -- [--stack X | --plan f | --outputs f] audit --prefix <key prefix> [--prefix ...]',
  summary: "Lists the objects under the prefixes whose cache tags are missing or differ from the catalog's (exit 1 when there are any).",
  options: { ...COMMON_OPTIONS, prefix: { type: 'string', multiple: true }, origin: { type: 'string' },
    concurrency: { type: 'number', integer: true, min: 1, max: 256, default: 16 }, limit: { type: 'number', integer: true, min: 1, max: 100_000, default: 50 },
  },
  help: {
    ...COMMON_HELP,
    prefix: 'key prefix to audit (repeatable)',
    origin: "the bucket's origin instead of the one serving the prefix; needed for --prefix ''",
    concurrency: 'objects read at once (default 16)',
    limit: 'rows of each table (default 50; --json lists all)',
  },
  allowPositionals: true,
  examples: ['npm run tag -- --stack prod audit --prefix video/ --prefix thumbnails/ --json audit.json'],
} as const;

export async function auditCommand(v: OptionValues<typeof AUDIT_SPEC.options>, ctx: TagContext): Promise<number> {
  const problems: string[] = [];
  const { concurrency, limit } = v;
  let targets: TagTarget[] = [];
  try {
    targets = targetsOf(ctx, prefixesOf(v), v.origin);
  } catch (e) {
    if (e instanceof InputError) problems.push(...e.problems);
    else throw e;
  }
  if (problems.length > 0) throw new InputError(problems);
  const s3 = ctx.s3();
  const statuses: (ObjectTagStatus & { bucket: string })[] = [];
  const invalid: { key: string; problem: string }[] = [];
  const progress = startProgress('auditing', 0, { quiet: ctx.quiet });
  let listed = 0;
  try {
    for (const t of targets) {
      for await (const page of keyPages(s3, t.bucket, t.prefix)) {
        listed += page.keys.length;
        progress.setTotal(listed);
        await mapConcurrent(page.keys, concurrency, async ({ key }) => {
          try {
            const head = await headObject(s3, t.bucket, key);
            if (head) statuses.push({ ...objectTagStatus(ctx.settings, key, head.metadata), bucket: t.bucket });
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            invalid.push({ key: `s3://${t.bucket}/${key}`, problem: e.problems.join(' ') });
          } finally {
            progress.increment();
          }
        });
      }
    }
  } finally {
    progress.stop();
  }
  const report = summarizeAudit(statuses.map((s) => ({ ...s, key: `s3://${s.bucket}/${s.key}` })), invalid);
  const table = (rows: readonly ObjectTagStatus[]) =>
    renderTable(['object', 'carries', 'catalog says'], rows.slice(0, limit).map((s) => [s.key, s.have.join(',') || '(none)', s.want.join(',')]));
  if (report.missing.length > 0) ctx.out(`missing tags (${report.missing.length}):\n${table(report.missing)}\n`);
  if (report.stale.length > 0) ctx.out(`stale tags (${report.stale.length}):\n${table(report.stale)}\n`);
  for (const i of report.invalid.slice(0, limit)) ctx.err(`error: ${i.key}: ${i.problem}`);
  ctx.out(`${report.scanned} objects audited for header ${ctx.settings.headerName}: ${report.current} current, ${report.missing.length} missing, ${report.stale.length} stale, ${report.invalid.length} invalid.`);
  if (v.json) writeJsonFile(v.json, { headerName: ctx.settings.headerName, targets, ...report });
  if (!auditClean(report)) {
    throw new CheckFailed(`error: ${report.missing.length + report.stale.length + report.invalid.length} objects do not carry their current tags; 'npm run tag -- ${targets.map((t) => `--prefix ${t.prefix}`).join(' ')}' tags them.`);
  }
  return EXIT_OK;
}

// ------------------------------------------------------------------ upload

export const UPLOAD_SPEC = {
  usage: 'npm run tag -- [--stack X | --plan f | --outputs f] upload <file> --key <key> [--release <id>]',
  summary: 'Uploads a file as a new object with the cache tags the catalog derives for its key (and its release), so it never needs tagging later.',
  options: {
    ...COMMON_OPTIONS,
    key: { type: 'string' },
    origin: { type: 'string' },
    'content-type': { type: 'string' },
    'cache-control': { type: 'string' },
    release: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  help: {
    ...COMMON_HELP,
    key: 'object key, e.g. video/123/master.m3u8',
    origin: "the bucket's origin instead of the one serving the key",
    'content-type': 'Content-Type (default: from the extension)',
    'cache-control': 'Cache-Control of the object',
    release: "release id, stored as metadata 'release' and tagged release:<id>",
    'dry-run': 'print the tags and metadata; upload nothing',
  },
  allowPositionals: true,
  examples: ['npm run tag -- --outputs outputs.json upload ./master.m3u8 --key video/123/master.m3u8 --cache-control "public, max-age=60" --release r42'],
} as const;

export async function uploadCommand(v: OptionValues<typeof UPLOAD_SPEC.options>, positionals: readonly string[], ctx: TagContext): Promise<number> {
  const problems: string[] = [];
  if (positionals.length !== 1) problems.push(`upload takes one file, got ${positionals.length}; e.g. upload ./master.m3u8 --key video/123/master.m3u8.`);
  let key: string | undefined;
  if (v.key === undefined || v.key === '') problems.push('upload needs --key, the object key, e.g. --key video/123/master.m3u8.');
  else collectProblems(problems, () => { key = keyFromArgument(v.key ?? '', '--key'); });
  const file = positionals[0];
  if (file !== undefined && !existsSync(file)) problems.push(`file ${show(file)} does not exist; check the path.`);
  const contentType = v['content-type'] ?? (key ? mediaTypeForKey(key) : undefined);
  if (key && contentType === undefined) problems.push(`no Content-Type is known for ${show(key)}'s extension; give --content-type.`);
  let target: TagTarget | undefined;
  if (key) {
    try {
      target = targetsOf(ctx, [key], v.origin)[0];
    } catch (e) {
      if (e instanceof InputError) problems.push(...e.problems.map((p) => p.replace('--prefix', '--key')));
      else throw e;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  const metadata: Record<string, string> = v.release !== undefined ? { release: v.release } : {};
  const { tags } = taggedMetadata(ctx.settings, key!, metadata);
  if (v['dry-run']) {
    ctx.out(`dry run: s3://${target!.bucket}/${key} would be uploaded with ${ctx.settings.metadataKey}=${tags.join(',')}.`);
    return EXIT_OK;
  }
  await putTaggedObject(ctx.s3(), ctx.settings, {
    bucket: target!.bucket, key: key!, body: readFileSync(file!), contentType: contentType!, metadata,
    ...(v['cache-control'] !== undefined ? { cacheControl: v['cache-control'] } : {}),
  });
  ctx.out(`uploaded s3://${target!.bucket}/${key} tagged ${tags.join(',')}.`);
  if (v.json) writeJsonFile(v.json, { bucket: target!.bucket, key, tags });
  return EXIT_OK;
}
