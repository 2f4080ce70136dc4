/**
 * The resumable state of a tagging run (`npm run tag -- apply`): per listing target (bucket +
 * prefix), the last key whose page was finished, so a run that was stopped lists again from there
 * (ListObjectsV2 `StartAfter`) instead of from the start. Re-tagging an object whose metadata is
 * already current is skipped, so resuming mid-page repeats nothing but HeadObject calls.
 */
import { InputError, show } from '../errors';

export interface TargetProgress {
  readonly bucket: string;
  readonly prefix: string;
  /** Last key of the last finished page; '' before the first. */
  readonly after: string;
  readonly done: boolean;
}

export interface TagCounts {
  /** Objects looked at (HeadObject). */
  scanned: number;
  /** Objects whose metadata was (or, in a dry run, would be) rewritten. */
  tagged: number;
  /** Objects already carrying the catalog's tags. */
  current: number;
  /** Objects that could not be tagged (changed meanwhile, a tag rule broken); listed in the report. */
  failed: number;
}

export interface TagCheckpoint {
  readonly version: 1;
  /** The header the objects were tagged for: resuming with another header is refused. */
  readonly headerName: string;
  readonly targets: readonly TargetProgress[];
  readonly counts: TagCounts;
}

export function emptyCounts(): TagCounts {
  return { scanned: 0, tagged: 0, current: 0, failed: 0 };
}

export function newCheckpoint(headerName: string, targets: readonly { bucket: string; prefix: string }[]): TagCheckpoint {
  return { version: 1, headerName, targets: targets.map((t) => ({ bucket: t.bucket, prefix: t.prefix, after: '', done: false })), counts: emptyCounts() };
}

/** The checkpoint with one target's progress replaced. */
export function advance(c: TagCheckpoint, bucket: string, prefix: string, after: string, done: boolean, counts: TagCounts): TagCheckpoint {
  return { ...c, counts: { ...counts }, targets: c.targets.map((t) => (t.bucket === bucket && t.prefix === prefix ? { ...t, after, done } : t)) };
}

/**
 * Reads a saved checkpoint for a run with these targets and header.
 * @throws InputError when the file is not a checkpoint or belongs to another run (other targets or header).
 */
export function parseCheckpoint(raw: unknown, file: string, headerName: string, targets: readonly { bucket: string; prefix: string }[]): TagCheckpoint {
  const c = raw as Partial<TagCheckpoint> | null;
  if (c === null || typeof c !== 'object' || c.version !== 1 || !Array.isArray(c.targets) || typeof c.headerName !== 'string' || typeof c.counts !== 'object') {
    throw new InputError(`state file '${file}' is not a tagging checkpoint (got ${show(raw)}); delete it or give another --state.`);
  }
  const want = targets.map((t) => `${t.bucket}/${t.prefix}`).sort().join(', ');
  const have = c.targets.map((t) => `${t.bucket}/${t.prefix}`).sort().join(', ');
  const problems: string[] = [];
  if (want !== have) problems.push(`state file '${file}' belongs to a run over ${have}, not ${want}; run without --resume to start over, or give the same prefixes.`);
  if (c.headerName !== headerName) problems.push(`state file '${file}' tagged objects for header '${c.headerName}', not '${headerName}'; run without --resume to tag them all for the new header.`);
  if (problems.length > 0) throw new InputError(problems);
  return c as TagCheckpoint;
}
