/**
 * Range requests served from a cached object (spec §7): RFC 7233 byte ranges, except that malformed,
 * descending or overlapping multi-range requests get the full object (200) as CloudFront does.
 */

export interface ByteRange {
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

export type RangeDecision =
  | { readonly kind: 'none' }
  /** Invalid or malformed: serve the whole object with 200 (spec §7). */
  | { readonly kind: 'full' }
  | { readonly kind: 'unsatisfiable' }
  | { readonly kind: 'ranges'; readonly ranges: readonly ByteRange[] };

const SPEC = /^(\d*)-(\d*)$/;

/** Decides how to answer a `Range` header for an object of `size` bytes. */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return { kind: 'full' };
  const specs = m[1]!.split(',').map((s) => s.trim());
  const ranges: ByteRange[] = [];
  let anySatisfiable = false;
  for (const s of specs) {
    const p = SPEC.exec(s);
    if (!p || (p[1] === '' && p[2] === '')) return { kind: 'full' };
    let start: number;
    let end: number;
    if (p[1] === '') {
      const suffix = Number(p[2]);
      if (suffix === 0) continue;
      start = Math.max(0, size - suffix);
      end = size - 1;
    } else {
      start = Number(p[1]);
      end = p[2] === '' ? size - 1 : Math.min(Number(p[2]), size - 1);
      if (p[2] !== '' && Number(p[2]) < start) return { kind: 'full' };
    }
    if (start >= size || size === 0) continue;
    anySatisfiable = true;
    ranges.push({ start, end });
  }
  if (!anySatisfiable) return { kind: 'unsatisfiable' };
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.start <= ranges[i - 1]!.end) return { kind: 'full' };
  }
  return { kind: 'ranges', ranges };
}

/** Body and headers of a 206 response for `ranges` of `body` (multipart/byteranges for more than one). */
export function rangeResponse(body: Buffer, ranges: readonly ByteRange[], contentType: string | undefined): { body: Buffer; headers: Record<string, string> } {
  const size = body.length;
  if (ranges.length === 1) {
    const r = ranges[0]!;
    return { body: body.subarray(r.start, r.end + 1), headers: { 'content-range': `bytes ${r.start}-${r.end}/${size}` } };
  }
  const boundary = `CloudFrontLocalEdge${size.toString(36)}${ranges.length}`;
  const parts: Buffer[] = [];
  for (const r of ranges) {
    const head = `--${boundary}\r\n${contentType ? `Content-Type: ${contentType}\r\n` : ''}Content-Range: bytes ${r.start}-${r.end}/${size}\r\n\r\n`;
    parts.push(Buffer.from(head), body.subarray(r.start, r.end + 1), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/byteranges; boundary=${boundary}` } };
}
