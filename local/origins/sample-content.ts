/**
 * Deterministic sample content for the local S3 origins: HLS/DASH manifests and segments of a few
 * series (one of them premium, behind signed URLs), thumbnails and previews, and the web app's static
 * files — each uploaded with the Cache-Control, Content-Type and cache-tag metadata a real pipeline
 * sets: the tags the catalog derives (lib/tagging `taggedMetadata`, the core of `npm run tag`'s
 * upload helper). Same input, same bytes (so ETags are stable between runs).
 */
import { mapConcurrent } from '../../lib/concurrency';
import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { cacheControlForPath, deriveObjectTags, PROTECTED_VIDEO_PREFIX, resolveCatalog } from '../../lib/catalog';
import { taggedMetadata, type TagSettings } from '../../lib/tagging';

export type SampleBucket = 'video' | 'images' | 'static';

export interface SampleObject {
  readonly bucket: SampleBucket;
  /** S3 key = URL path without the leading '/'. */
  readonly key: string;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly body: Buffer;
  /** User metadata besides the cache tags (`release`). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Cache tags the catalog derives for the key and metadata (sent as `x-amz-meta-cache-tags`, spec §8.2). */
  readonly tags: readonly string[];
}

export interface SampleContentOptions {
  /** Series titles (slugs); the first is premium. */
  readonly titles?: readonly string[];
  readonly episodes?: number;
  readonly segments?: number;
  /** Bytes of a 720p segment (480p segments are half). @default 65536 */
  readonly segmentBytes?: number;
}

export const DEFAULT_TITLES: readonly string[] = ['midnight-harbor', 'orbital-station', 'kitchen-wars', 'the-long-road'];

/** Deterministic pseudo-random bytes from a seed (SHA-256 in counter mode). */
export function seededBytes(seed: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  let off = 0;
  for (let i = 0; off < length; i++) {
    const block = createHash('sha256').update(`${seed}:${i}`).digest();
    off += block.copy(out, off);
  }
  return out;
}

function words(seed: string, count: number): string {
  const vocab = ['stream', 'episode', 'season', 'harbor', 'night', 'orbit', 'kitchen', 'road', 'story', 'light', 'signal', 'edge', 'cache', 'player', 'frame', 'scene'];
  const bytes = seededBytes(seed, count);
  return Array.from(bytes, (b) => vocab[b % vocab.length]).join(' ');
}

// Cache-Control of each kind of object: its route's, from the catalog (lib/catalog cacheControlFor:
// default TTL and stale windows), as the upload and image scripts set it on real objects.
const SAMPLE_CATALOG = resolveCatalog();
const MANIFEST_CC = cacheControlForPath(SAMPLE_CATALOG, '/video/x/master.m3u8');
const SEGMENT_CC = cacheControlForPath(SAMPLE_CATALOG, '/video/x/seg.ts');
const IMAGE_CC = cacheControlForPath(SAMPLE_CATALOG, '/thumbnails/x.jpg');
const STATIC_CC = cacheControlForPath(SAMPLE_CATALOG, '/static/x.js');
const SHELL_CC = cacheControlForPath(SAMPLE_CATALOG, '/index.html');

function text(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** The episode path prefix of a title, e.g. `/video/orbital-station/s01e02/` (premium titles under /video/premium/). */
export function episodePrefix(title: string, episode: number, premium: boolean): string {
  return `${premium ? PROTECTED_VIDEO_PREFIX : '/video/'}${title}/s01e${String(episode).padStart(2, '0')}/`;
}

/** The sample objects (without uploading them). */
export function sampleContent(opts: SampleContentOptions = {}): SampleObject[] {
  const titles = opts.titles ?? DEFAULT_TITLES;
  const episodes = opts.episodes ?? 3;
  const segments = opts.segments ?? 4;
  const segBytes = opts.segmentBytes ?? 65_536;
  const out: Omit<SampleObject, 'tags'>[] = [];
  titles.forEach((title, ti) => {
    const premium = ti === 0;
    for (let e = 1; e <= episodes; e++) {
      const prefix = episodePrefix(title, e, premium).slice(1);
      const ep = `${title}-s01e${String(e).padStart(2, '0')}`;
      out.push({
        bucket: 'video', key: `${prefix}master.m3u8`, contentType: 'application/vnd.apple.mpegurl', cacheControl: MANIFEST_CC,
        body: text(`#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n` +
          `#EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"\n720p/index.m3u8\n` +
          `#EXT-X-STREAM-INF:BANDWIDTH=1200000,RESOLUTION=854x480,CODECS="avc1.64001e,mp4a.40.2"\n480p/index.m3u8\n` +
          `# ${words(`${ep}:master`, 200)}\n`),
      });
      out.push({
        bucket: 'video', key: `${prefix}manifest.mpd`, contentType: 'application/dash+xml', cacheControl: MANIFEST_CC,
        body: text(`<?xml version="1.0" encoding="UTF-8"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT${segments * 6}S">\n` +
          `<!-- ${words(`${ep}:mpd`, 150)} -->\n<Period><AdaptationSet mimeType="video/mp4"><Representation id="720p" bandwidth="3000000"/></AdaptationSet></Period>\n</MPD>\n`),
      });
      for (const [rendition, size] of [['720p', segBytes], ['480p', Math.floor(segBytes / 2)]] as const) {
        const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-TARGETDURATION:6', '#EXT-X-PLAYLIST-TYPE:VOD'];
        for (let s = 0; s < segments; s++) lines.push('#EXTINF:6.000,', `seg-${String(s).padStart(5, '0')}.ts`);
        lines.push('#EXT-X-ENDLIST', `# ${words(`${ep}:${rendition}`, 120)}`);
        out.push({ bucket: 'video', key: `${prefix}${rendition}/index.m3u8`, contentType: 'application/vnd.apple.mpegurl', cacheControl: MANIFEST_CC, body: text(`${lines.join('\n')}\n`) });
        for (let s = 0; s < segments; s++) {
          const name = `seg-${String(s).padStart(5, '0')}.ts`;
          out.push({ bucket: 'video', key: `${prefix}${rendition}/${name}`, contentType: 'video/mp2t', cacheControl: SEGMENT_CC, body: seededBytes(`${ep}:${rendition}:${s}`, size) });
        }
      }
      const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), seededBytes(`${ep}:thumb`, 51_200), Buffer.from([0xff, 0xd9])]);
      out.push({ bucket: 'images', key: `thumbnails/${title}/s01e${String(e).padStart(2, '0')}.jpg`, contentType: 'image/jpeg', cacheControl: IMAGE_CC, body: jpeg });
    }
    out.push({ bucket: 'images', key: `previews/${title}.webp`, contentType: 'image/webp', cacheControl: IMAGE_CC, body: Buffer.concat([Buffer.from('RIFF'), seededBytes(`${title}:preview`, 81_920)]) });
  });
  const js = `/* media-cdn player app */\n${Array.from({ length: 300 }, (_, i) => `export function f${i}(x) { return x * ${i} + ${JSON.stringify(words(`js:${i}`, 6))}.length; }`).join('\n')}\n`;
  const css = `${Array.from({ length: 200 }, (_, i) => `.c${i} { margin: ${i % 7}px; color: #${(i * 2654435761 % 0xffffff).toString(16).padStart(6, '0')}; }`).join('\n')}\n`;
  const html = (title: string, body: string) => `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title>\n<link rel="stylesheet" href="/static/app.css">\n<script type="module" src="/static/app.js"></script></head>\n<body><main>${body}</main>\n<!-- ${words(`html:${title}`, 200)} -->\n</body></html>\n`;
  out.push(
    { bucket: 'static', key: 'index.html', contentType: 'text/html; charset=utf-8', cacheControl: SHELL_CC, body: text(html('media-cdn', '<h1>Now streaming</h1>')) },
    { bucket: 'static', key: 'static/app.js', contentType: 'application/javascript', cacheControl: STATIC_CC, metadata: { release: 'app' }, body: text(js) },
    { bucket: 'static', key: 'static/app.css', contentType: 'text/css', cacheControl: STATIC_CC, metadata: { release: 'app' }, body: text(css) },
    { bucket: 'static', key: 'static/logo.svg', contentType: 'image/svg+xml', cacheControl: STATIC_CC, body: text(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><!-- ${words('svg', 250)} --><circle cx="50" cy="50" r="40"/></svg>\n`) },
    { bucket: 'static', key: 'fonts/inter.woff2', contentType: 'font/woff2', cacheControl: STATIC_CC, body: Buffer.concat([Buffer.from('wOF2'), seededBytes('font', 20_480)]) },
    { bucket: 'static', key: 'static/bench-10k.bin', contentType: 'application/octet-stream', cacheControl: STATIC_CC, body: seededBytes('bench', 10_240) },
  );
  const catalog = resolveCatalog();
  return out.map((o) => ({ ...o, tags: deriveObjectTags(catalog, o.key, o.metadata ?? {}) }));
}

/**
 * Uploads sample objects with the SDK; `buckets` maps the sample bucket role to the plan's bucket
 * name. With tag settings (lib/tagging `tagSettings` of the distribution's header) each object
 * carries its cache tags in its user metadata, as the upload helper of `npm run tag` sets them;
 * without (tags off), none.
 */
export async function seedSampleContent(client: S3Client, buckets: Readonly<Record<SampleBucket, string>>, objects: readonly SampleObject[], tags?: TagSettings): Promise<number> {
  await mapConcurrent(objects, 8, async (o) => {
    const metadata = tags ? taggedMetadata(tags, o.key, o.metadata ?? {}).metadata : { ...(o.metadata ?? {}) };
    await client.send(new PutObjectCommand({
      Bucket: buckets[o.bucket], Key: o.key, Body: o.body, ContentType: o.contentType, CacheControl: o.cacheControl, Metadata: metadata,
    }));
  });
  return objects.length;
}
