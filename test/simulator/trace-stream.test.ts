import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../lib/errors';
import { parseCacheSize, runSingleCache, runSingleCacheStream } from '../../simulator/single-cache';
import {
  CloudFrontLogBuilder, CloudFrontLogParser, CloudFrontLogTraceParser, CsvParser, OracleGeneralParser, ReorderWindow, TraceBuilder,
  parseCloudFrontLogs, readCloudFrontLogs, readCsvTrace, readOracleGeneral, readTraceStreamed, streamCloudFrontLogs, streamTrace, traceFromLog, writeOracleGeneral,
  type Trace,
} from '../../simulator/trace';
import { generated, generatedCsv } from './generated-trace';
import { LOG_HEADER, logLine } from './log-lines';

/** Chunk sizes that cut records, UTF-8 sequences and CRLF pairs at every kind of place. */
const CHUNKS = [1, 7, 23, 25, 1000, 4097];

function inChunks(buf: Uint8Array, size: number, push: (c: Uint8Array) => void): void {
  for (let o = 0; o < buf.length; o += size) push(buf.subarray(o, Math.min(o + size, buf.length)));
}

function plain(t: Trace) {
  return { length: t.length, time: Array.from(t.time), id: Array.from(t.id), size: Array.from(t.size), objects: t.objects, malformed: t.malformed, examples: t.malformedExamples, skipped: t.skipped };
}

/** Ids renumbered by first appearance: two readers may label objects differently but must agree on which requests share one. */
function byFirstAppearance(ids: ArrayLike<number>): number[] {
  const m = new Map<number, number>();
  return Array.from(ids, (k) => { let v = m.get(k); if (v === undefined) { v = m.size; m.set(k, v); } return v; });
}

describe('simulator/trace: streaming readers', () => {
  const g = generated();
  const bin = writeOracleGeneral(g.time, g.id, g.size, g.n);

  for (const size of CHUNKS) {
    it(`oracleGeneral read in ${size}-byte chunks equals the whole-file read`, () => {
      const b = new TraceBuilder();
      const p = new OracleGeneralParser(b);
      inChunks(bin, size, (c) => p.push(c));
      expect(plain(b.buildFrom(p.end()))).to.deep.equal(plain(readOracleGeneral(bin)));
    });
  }

  it('counts a record cut short at the end of a stream as malformed, wherever the chunks fall', () => {
    for (const size of CHUNKS) {
      const b = new TraceBuilder();
      const p = new OracleGeneralParser(b);
      inChunks(bin.subarray(0, bin.length - 5), size, (c) => p.push(c));
      const counts = p.end();
      expect([counts.requests, counts.malformed, counts.malformedExamples]).to.deep.equal([g.n - 1, 1, [`record ${g.n}: truncated: 19 of 24 bytes`]]);
    }
  });

  const csv = generatedCsv();
  const csvBytes = Buffer.from(csv, 'utf8');
  for (const size of CHUNKS) {
    it(`CSV (CRLF, multi-byte ids) read in ${size}-byte chunks equals the whole-text read`, () => {
      const b = new TraceBuilder();
      const p = new CsvParser(b);
      inChunks(csvBytes, size, (c) => p.push(c));
      const whole = readCsvTrace(csv);
      expect(plain(b.buildFrom(p.end()))).to.deep.equal(plain(whole));
      expect([whole.length, whole.malformed, whole.malformedExamples]).to.deep.equal([g.n, 1, ["line 1501: time 'not' is not a number"]]);
    });
  }

  it('skips a line too long to be a trace line without buffering it, and reads on', () => {
    const b = new TraceBuilder();
    const p = new CsvParser(b);
    p.push(Buffer.from('time,id,size\n1,a,5\n'));
    const junk = Buffer.alloc(64 * 1024, 0x41);
    for (let i = 0; i < 20; i++) p.push(junk); // 1.25 MiB without a newline
    p.push(Buffer.from('\n2,b,6\n'));
    const t = b.buildFrom(p.end());
    expect([t.length, t.malformed, t.malformedExamples]).to.deep.equal([2, 1, ['line 3: longer than 1 MiB (not a CSV trace?)']]);
  });

  // CloudFront log lines out of time order (within the reorder window), a POST, a range request, a bad line
  const logText = [
    LOG_HEADER,
    ...Array.from({ length: 60 }, (_, i) => logLine({
      time: `12:00:${String((i * 7) % 60).padStart(2, '0')}`, 'cs-uri-stem': `/video/t${i % 9}/1080p/séance-${i % 13}.m4s`,
      'cs-method': i % 17 === 0 ? 'POST' : 'GET', 'sc-range-start': i % 11 === 0 ? '0' : '-', 'sc-content-len': String(1000 + (i % 13)),
    })),
    'broken line',
  ].join('\n');
  const logBytes = Buffer.from(logText, 'utf8');

  for (const size of CHUNKS) {
    it(`CloudFront logs read in ${size}-byte chunks equal the whole-text parse, and their single-cache view equals traceFromLog's`, () => {
      const whole = parseCloudFrontLogs([logText]);
      const lb = new CloudFrontLogBuilder();
      const lp = new CloudFrontLogParser(lb);
      lp.startFile(0);
      inChunks(logBytes, size, (c) => lp.push(c));
      lp.end();
      expect(lb.build(lp.problems)).to.deep.equal(whole);

      const sorted = traceFromLog(whole);
      const b = new TraceBuilder();
      const tp = new CloudFrontLogTraceParser(b);
      tp.startFile(0);
      inChunks(logBytes, size, (c) => tp.push(c));
      const counts = tp.end();
      const t = b.buildFrom(counts);
      expect([t.length, Array.from(t.time), Array.from(t.size), byFirstAppearance(t.id), t.objects, t.skipped, t.malformed, counts.late])
        .to.deep.equal([sorted.length, Array.from(sorted.time), Array.from(sorted.size), byFirstAppearance(sorted.id), sorted.objects, sorted.skipped, sorted.malformed, 0]);
    });
  }

  it('the reorder window equals a stable sort within the window and counts what comes later', () => {
    const b = new TraceBuilder();
    const w = new ReorderWindow(b, 10);
    for (const [t, id] of [[5, 1], [3, 2], [5, 3], [12, 4], [4, 5], [30, 6], [8, 7], [31, 8]] as const) w.request(t, id, 1);
    w.flush();
    // 8 arrives after 30 pushed everything up to 20 out: sent at once, counted late
    expect([Array.from(b.build(0).id), w.late]).to.deep.equal([[2, 5, 1, 3, 4, 7, 6, 8], 1]);
  });
});

describe('simulator/trace: streamed files (plain, gzip, zstd) and damaged input', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'media-cdn-stream-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const g = generated();
  const bin = writeOracleGeneral(g.time, g.id, g.size, g.n);
  const csv = generatedCsv();

  it('reads oracleGeneral plain and gzip in small chunks as the whole-file reader does', async () => {
    const f = join(dir, 't.bin'), gz = join(dir, 't.bin.gz');
    writeFileSync(f, bin);
    writeFileSync(gz, gzipSync(bin));
    for (const file of [f, gz]) {
      const b = new TraceBuilder();
      const counts = await streamTrace(file, 'oracle-general', b, 1001);
      expect(plain(b.buildFrom(counts))).to.deep.equal(plain(readOracleGeneral(bin)));
    }
  });

  it('reads a zstd-compressed CSV trace (fixture compressed by the zstd CLI) as the plain text', async () => {
    // test/simulator/fixtures/generated.csv.zst is `zstd -19` of generatedCsv()
    const fixture = join(__dirname, 'fixtures', 'generated.csv.zst');
    expect(plain(await readTraceStreamed(fixture, 'csv'))).to.deep.equal(plain(readCsvTrace(csv)));
  });

  it('refuses a truncated gzip file with one line naming the file', async () => {
    const gz = gzipSync(bin);
    const f = join(dir, 'cut.bin.gz');
    writeFileSync(f, gz.subarray(0, gz.length >> 1));
    const err = await streamTrace(f, 'oracle-general', new TraceBuilder(), 4096).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(InputError);
    expect((err as Error).message).to.match(/^--trace '.*cut\.bin\.gz': the gzip data is damaged or truncated \(unexpected end of file\); check the file \(gzip -t /);
    expect((err as Error).message).not.to.contain('\n');
  });

  it('refuses damaged gzip data (a flipped byte) with one line naming the file', async () => {
    const gz = Buffer.from(gzipSync(bin));
    gz[gz.length - 6]! ^= 0xff; // inside the CRC-32 trailer
    const f = join(dir, 'bad.bin.gz');
    writeFileSync(f, gz);
    const err = await streamTrace(f, 'oracle-general', new TraceBuilder()).then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).to.match(/^--trace '.*bad\.bin\.gz': the gzip data is damaged or truncated \(incorrect data check\)/);
  });

  it('counts a truncated gzip CloudFront log as malformed (never fatal) and keeps the lines before the break, in every log reader', async () => {
    const lines = (n: number, from: number) => Array.from({ length: n }, (_, i) => logLine({ time: `12:${String(from + i).padStart(2, '0')}:00`, 'cs-uri-stem': `/static/f${from + i}.js` }));
    const folder = join(dir, 'logs-with-a-cut-file');
    mkdirSync(folder);
    writeFileSync(join(folder, 'E1.2026-03-01-12.a.gz'), gzipSync([LOG_HEADER, ...lines(10, 0)].join('\n') + '\n'));
    // cut 30 bytes before the end: most lines come out before the break, the last ones do not
    const cut = gzipSync([LOG_HEADER, ...lines(30, 10)].join('\n') + '\n');
    writeFileSync(join(folder, 'E1.2026-03-01-12.b.gz'), cut.subarray(0, cut.length - 30));
    const streamed = await streamCloudFrontLogs(folder, 256);
    const whole = readCloudFrontLogs(folder);
    const counts = await streamTrace(folder, 'cloudfront-log', new TraceBuilder(), 256);
    for (const r of [streamed, whole, counts]) {
      expect(r.malformedExamples.some((e) => /E1\.2026-03-01-12\.b\.gz: the compressed data is damaged or truncated \(unexpected end of file\); the lines before the damage were read$/.test(e)), JSON.stringify(r.malformedExamples)).to.equal(true);
      expect(r.malformed).to.be.within(1, 2); // the damage, and the half line at the break when there is one
    }
    // every line of the good file, and some but not all of the cut one's
    expect(streamed.length).to.be.above(30).and.below(40);
    // the whole-file reader flushes what zlib holds at the break: it may keep a line more than the stream
    expect(whole.length - streamed.length).to.be.within(0, 1);
    expect(counts.requests).to.equal(streamed.length);
  });

  it('refuses a truncated zstd file with one line naming the file', async () => {
    const zst = readFileSync(join(__dirname, 'fixtures', 'generated.csv.zst'));
    const f = join(dir, 'cut.csv.zst');
    writeFileSync(f, zst.subarray(0, zst.length - 40));
    const err = await streamTrace(f, 'csv', new TraceBuilder(), 512).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(InputError);
    expect((err as Error).message).to.match(/^--trace '.*cut\.csv\.zst': the zstd data is damaged or truncated \(unexpected EOF\); check the file \(zstd -t /);
  });

  it('counts damaged CloudFront log lines as malformed and reads a folder of gzip files in name order', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'E2.2026-03-01-12.a.gz'), gzipSync(Buffer.from([LOG_HEADER, logLine({}), '\u0000\u0001garbage'].join('\n'))));
    writeFileSync(join(logs, 'E2.2026-03-01-13.b.gz'), gzipSync(Buffer.from([LOG_HEADER, logLine({ time: '13:00:00', 'cs-uri-stem': '/a' })].join('\n'))));
    const log = await streamCloudFrontLogs(logs, 16);
    expect([log.length, log.malformed, log.malformedExamples, log.urls]).to.deep.equal([2, 1, ['file 1 line 4: 1 tab-separated fields, the #Fields header names 33'], ['/static/app.js', '/a']]);
  });

  it('single-cache results on a stream equal those on the whole trace, a share of the working set included', async () => {
    const f = join(dir, 's.bin');
    writeFileSync(f, bin);
    const trace = readOracleGeneral(bin);
    for (const [size, ignoreSize] of [['5%', true], ['5%', false], ['20', false], ['64KiB', false]] as const) {
      for (const policy of ['lru', 's3fifo', 'fifo'] as const) {
        const opts = { policy, size: parseCacheSize(size), ignoreSize };
        const streamed = await runSingleCacheStream((sink) => streamTrace(f, 'oracle-general', sink, 777), opts);
        expect(streamed, `${policy} ${size}`).to.deep.equal(runSingleCache(trace, opts));
      }
    }
  });
});
