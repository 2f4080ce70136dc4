/**
 * The seed workload's objects, family by family: what exists at full scale (count, popularity, size,
 * path) and how much each object is requested per playback session. Sizes come from the catalog's
 * size range of each content type; everything else from the profile (../profile.ts).
 *
 * Objects are enumerated most popular first, so that neighbours have similar request rates: the
 * sampler (sample.ts) keeps one object per block of neighbours.
 */
import type { Catalog, ContentTypeName } from '../../lib/catalog';
import { harmonic } from '../alias';
import type { WorkloadProfile } from '../profile';
import { hashUnit } from '../rng';

export type CompressionFamily = 'json' | 'javascript' | 'css' | 'html' | 'svg' | 'manifest';

/** One object (one cache key before Accept-Encoding variants): a URL, a method, a size. */
export interface ObjectSpec {
  readonly path: string;
  /** Raw query string without '?', '' for none. */
  readonly query: string;
  readonly method: 'GET' | 'HEAD' | 'POST';
  /** Content-Type of the response. */
  readonly mediaType: string;
  /** Body bytes of the response (one byte range for video segments). */
  readonly size: number;
  /** Index of the aligned byte range for range requests (cached as its own piece, spec §7); -1 otherwise. */
  readonly rangeIndex: number;
  /** What changes together (a title's files, an image and its variants, a document). */
  readonly asset: string;
  /** Invalidation items submitted when the asset changes (spec §8.1 syntax). */
  readonly invalidationItems: readonly string[];
  readonly compressionFamily?: CompressionFamily;
}

export interface Family {
  readonly name: string;
  readonly type: ContentTypeName;
  /** Objects at full scale. */
  readonly count: number;
  /** Assets at full scale and invalidation items per changed asset (for the monthly path count). */
  readonly assets: number;
  readonly itemsPerUpdate: number;
  /** Calls `cb` for every object, most popular first, with its requests per playback session and size. */
  forEach(cb: (ref: number, perSession: number, size: number) => void): void;
  describe(ref: number): ObjectSpec;
}

function logUniform(min: number, max: number, u: number): number {
  return Math.round(min * Math.pow(max / min, u));
}

/** x such that (1 − e^−x) / x = share: the exponential drop-off giving a mean watched share. */
export function dropOffRate(share: number): number {
  let lo = 1e-6, hi = 50;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if ((1 - Math.exp(-mid)) / mid > share) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Bytes of rendition `r` (of `renditions`, lowest first) for a title of middle length: the rendition
 * files spread geometrically over the catalog's video size range. Over the middle length this is the
 * rendition's bitrate (simulator/video/ladder.ts reads the ABR ladder from it).
 */
export function renditionLadderBytes(min: number, max: number, renditions: number, r: number): number {
  return min * Math.pow(max / min, renditions === 1 ? 1 : r / (renditions - 1));
}

/** The families of the seed workload. `seed` varies object sizes, lengths and premium flags. */
export function seedFamilies(profile: WorkloadProfile, catalog: Catalog, seed: number): Family[] {
  return [...videoFamilies(profile, catalog, seed), thumbnailFamily(profile, catalog, seed), metadataFamily(profile, catalog, seed), staticFamily(profile, catalog, seed), ...apiFamilies(profile, catalog, seed)];
}

function videoFamilies(profile: WorkloadProfile, catalog: Catalog, seed: number): Family[] {
  const v = profile.video;
  const titles = v.titles;
  const R = v.renditions.length;
  const alpha = profile.zipfAlpha.video;
  const H = harmonic(titles, alpha);
  const { min, max } = catalog.type('video').sizeBytes;
  const x = dropOffRate(v.meanWatchedShare);
  const midMinutes = (v.durationMinutes[0] + v.durationMinutes[1]) / 2;
  const minutes = (t: number) => v.durationMinutes[0] + (v.durationMinutes[1] - v.durationMinutes[0]) * hashUnit(seed, 101, t);
  const segments = (t: number) => Math.ceil((minutes(t) * 60) / v.segmentSeconds);
  const premium = (t: number) => hashUnit(seed, 102, t) < v.premiumShare;
  const prefix = (t: number) => (premium(t) ? `/video/premium/t${t}` : `/video/t${t}`);
  const fileBytes = (t: number, r: number) => Math.min(max, Math.max(min, Math.round((renditionLadderBytes(min, max, R, r) * minutes(t)) / midMinutes)));
  const SEG = 2048;
  const titleItem = (t: number) => [`${prefix(t)}/*`];

  const segmentsFamily: Family = {
    name: 'video-segments',
    type: 'video',
    count: (() => { let n = 0; for (let t = 0; t < titles; t++) n += R * segments(t); return n; })(),
    assets: titles,
    itemsPerUpdate: 1,
    forEach(cb) {
      for (let t = 0; t < titles; t++) {
        const p = Math.pow(t + 1, -alpha) / H;
        const n = segments(t);
        for (let r = 0; r < R; r++) {
          const share = v.renditions[r]!.share;
          const seg = Math.ceil(fileBytes(t, r) / n);
          for (let j = 0; j < n; j++) cb((t * R + r) * SEG + j, p * share * Math.exp((-j * x) / n), seg);
        }
      }
    },
    describe(ref) {
      const j = ref % SEG;
      const tr = (ref - j) / SEG;
      const r = tr % R;
      const t = (tr - r) / R;
      const n = segments(t);
      const size = Math.ceil(fileBytes(t, r) / n);
      const signed = premium(t) ? `Expires=2000000000&Signature=sig${t}&Key-Pair-Id=K2JCJMDEHXQW5F` : '';
      return {
        path: `${prefix(t)}/${v.renditions[r]!.name}.mp4`, query: signed, method: 'GET', mediaType: 'video/mp4', size,
        rangeIndex: j, asset: `title:${t}`, invalidationItems: titleItem(t),
      };
    },
  };

  const M = 1 + R; // master + one media playlist per rendition
  const manifestFamily: Family = {
    name: 'video-manifests',
    type: 'video',
    count: titles * M,
    assets: titles,
    itemsPerUpdate: 0, // covered by the title's wildcard
    forEach(cb) {
      for (let t = 0; t < titles; t++) {
        const p = Math.pow(t + 1, -alpha) / H;
        for (let m = 0; m < M; m++) {
          const perSession = m === 0 ? 1 : (v.manifestsPerSession - 1) * v.renditions[m - 1]!.share;
          cb(t * M + m, p * perSession, manifestSize(t * M + m));
        }
      }
    },
    describe(ref) {
      const m = ref % M;
      const t = (ref - m) / M;
      return {
        path: `${prefix(t)}/${m === 0 ? 'master' : v.renditions[m - 1]!.name}.m3u8`, query: '', method: 'GET',
        mediaType: 'application/vnd.apple.mpegurl', size: manifestSize(ref), rangeIndex: -1, asset: `title:${t}`,
        invalidationItems: titleItem(t), compressionFamily: 'manifest',
      };
    },
  };
  function manifestSize(ref: number): number {
    return logUniform(v.manifestBytes[0], v.manifestBytes[1], hashUnit(seed, 103, ref));
  }
  return [segmentsFamily, manifestFamily];
}

function thumbnailFamily(profile: WorkloadProfile, catalog: Catalog, seed: number): Family {
  const c = profile.catalog;
  const perTitle = c.imagesPerTitle + c.previewsPerTitle;
  const images = profile.video.titles * perTitle;
  const W = c.imageWidths.length;
  const F = c.imageFormats.length;
  const V = W * F;
  const alpha = profile.zipfAlpha.thumbnails;
  const H = harmonic(images, alpha);
  const { min, max } = catalog.type('thumbnails').sizeBytes;
  const formatFactor: Record<string, number> = { avif: 0.6, webp: 0.75, jpeg: 1, png: 1.3 };
  const imagePath = (i: number) => {
    const title = Math.floor(i / perTitle);
    const k = i % perTitle;
    return k < c.imagesPerTitle ? `/thumbnails/t${title}/img${k}.jpg` : `/previews/t${title}/p${k - c.imagesPerTitle}.jpg`;
  };
  const size = (ref: number) => {
    const v = ref % V;
    const w = Math.floor(v / F);
    const f = c.imageFormats[v % F]!.format;
    const base = min * Math.pow(max / min, W === 1 ? 1 : w / (W - 1));
    const jitter = 0.85 + 0.3 * hashUnit(seed, 201, ref);
    return Math.min(max, Math.max(min, Math.round(base * (formatFactor[f] ?? 1) * jitter)));
  };
  return {
    name: 'thumbnails',
    type: 'thumbnails',
    count: images * V,
    assets: images,
    itemsPerUpdate: 1,
    forEach(cb) {
      for (let i = 0; i < images; i++) {
        const p = (profile.perSession.thumbnails * Math.pow(i + 1, -alpha)) / H;
        for (let v = 0; v < V; v++) {
          const ref = i * V + v;
          cb(ref, p * c.imageWidths[Math.floor(v / F)]!.share * c.imageFormats[v % F]!.share, size(ref));
        }
      }
    },
    describe(ref) {
      const v = ref % V;
      const i = (ref - v) / V;
      const width = c.imageWidths[Math.floor(v / F)]!.width;
      const format = c.imageFormats[v % F]!.format;
      const path = imagePath(i);
      // The query as the viewer-request normalize function leaves it (lib/builders/normalize-function.ts).
      return {
        path, query: `width=${width}&quality=80&format=${format}`, method: 'GET', mediaType: `image/${format}`, size: size(ref),
        rangeIndex: -1, asset: `image:${i}`, invalidationItems: [`${path}*`],
      };
    },
  };
}

function metadataFamily(profile: WorkloadProfile, catalog: Catalog, seed: number): Family {
  const n = profile.catalog.metadataDocuments;
  const alpha = profile.zipfAlpha.metadata;
  const H = harmonic(n, alpha);
  const { min, max } = catalog.type('metadata').sizeBytes;
  const size = (i: number) => logUniform(min, max, hashUnit(seed, 301, i));
  const kinds = ['titles', 'titles', 'episodes', 'episodes', 'episodes', 'episodes', 'playlists', 'playlists', 'profiles', 'collections'];
  const path = (i: number) => `/metadata/${kinds[i % kinds.length]}/${i}.json`;
  return {
    name: 'metadata', type: 'metadata', count: n, assets: n, itemsPerUpdate: 1,
    forEach(cb) { for (let i = 0; i < n; i++) cb(i, (profile.perSession.metadata * Math.pow(i + 1, -alpha)) / H, size(i)); },
    describe(i) {
      return { path: path(i), query: '', method: 'GET', mediaType: 'application/json', size: size(i), rangeIndex: -1, asset: `doc:${i}`, invalidationItems: [path(i)], compressionFamily: 'json' };
    },
  };
}

function staticFamily(profile: WorkloadProfile, catalog: Catalog, seed: number): Family {
  const n = profile.catalog.staticFiles + 1; // + the app shell
  const alpha = profile.zipfAlpha.static;
  const H = harmonic(n, alpha);
  const { min, max } = catalog.type('static').sizeBytes;
  // Files by kind, in rotation: JavaScript twice as often as the others.
  const kinds: readonly { dir: string; ext: string; mediaType: string; family?: CompressionFamily }[] = [
    { dir: '/static/js/', ext: '.js', mediaType: 'application/javascript', family: 'javascript' },
    { dir: '/static/css/', ext: '.css', mediaType: 'text/css', family: 'css' },
    { dir: '/static/js/', ext: '.js', mediaType: 'application/javascript', family: 'javascript' },
    { dir: '/fonts/', ext: '.woff2', mediaType: 'font/woff2' },
    { dir: '/static/img/', ext: '.svg', mediaType: 'image/svg+xml', family: 'svg' },
  ];
  const size = (i: number) => (i === 0 ? logUniform(min, 3 * min, hashUnit(seed, 401, i)) : logUniform(min, max, hashUnit(seed, 402, i)));
  return {
    name: 'static', type: 'static', count: n, assets: n, itemsPerUpdate: 1,
    forEach(cb) { for (let i = 0; i < n; i++) cb(i, (profile.perSession.static * Math.pow(i + 1, -alpha)) / H, size(i)); },
    describe(i) {
      if (i === 0) {
        // The app shell: served by the default (*) behavior.
        return { path: '/index.html', query: '', method: 'GET', mediaType: 'text/html', size: size(0), rangeIndex: -1, asset: 'file:0', invalidationItems: ['/index.html'], compressionFamily: 'html' };
      }
      const k = kinds[i % kinds.length]!;
      const path = `${k.dir}f${i}${k.ext}`;
      return { path, query: '', method: 'GET', mediaType: k.mediaType, size: size(i), rangeIndex: -1, asset: `file:${i}`, invalidationItems: [path], ...(k.family ? { compressionFamily: k.family } : {}) };
    },
  };
}

function apiFamilies(profile: WorkloadProfile, catalog: Catalog, seed: number): Family[] {
  const n = profile.catalog.apiQueries;
  const alpha = profile.zipfAlpha.api;
  const H = harmonic(n, alpha);
  const { min, max } = catalog.type('api').sizeBytes;
  const size = (i: number) => logUniform(min, max, hashUnit(seed, 501, i));
  const publicFamily: Family = {
    name: 'api-public', type: 'api', count: n, assets: n, itemsPerUpdate: 0,
    forEach(cb) { for (let i = 0; i < n; i++) cb(i, (profile.perSession.apiPublic * Math.pow(i + 1, -alpha)) / H, size(i)); },
    describe(i) {
      const [path, query] = i % 2 === 0 ? ['/api/search', `q=term${i >> 1}&page=1`] : ['/api/catalog', `genre=g${i % 40}&page=${(i >> 1) + 1}&sort=popular`];
      return { path, query, method: 'GET', mediaType: 'application/json', size: size(i), rangeIndex: -1, asset: `query:${i}`, invalidationItems: [], compressionFamily: 'json' };
    },
  };
  const privatePaths = ['/api/me/continue-watching', '/api/me/list', '/api/me/recommendations', '/api/me/notifications', '/api/user/profile', '/api/user/settings', '/api/auth/session', '/api/me/history'];
  const privateGet: Family = {
    name: 'api-private', type: 'api', count: privatePaths.length, assets: privatePaths.length, itemsPerUpdate: 0,
    forEach(cb) { for (let i = 0; i < privatePaths.length; i++) cb(i, profile.perSession.apiPrivateGet / privatePaths.length, size(n + i)); },
    describe(i) {
      return { path: privatePaths[i]!, query: '', method: 'GET', mediaType: 'application/json', size: size(n + i), rangeIndex: -1, asset: `private:${i}`, invalidationItems: [], compressionFamily: 'json' };
    },
  };
  const post: Family = {
    name: 'api-post', type: 'api', count: 1, assets: 1, itemsPerUpdate: 0,
    forEach(cb) { cb(0, profile.perSession.apiPost, 200); },
    describe() {
      return { path: '/api/me/progress', query: '', method: 'POST', mediaType: 'application/json', size: 200, rangeIndex: -1, asset: 'post:0', invalidationItems: [] };
    },
  };
  return [publicFamily, privateGet, post];
}
