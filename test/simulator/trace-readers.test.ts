import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { logText, parseCloudFrontLogs, readCsvTrace, readOracleGeneral, traceFromLog, U64Ids, writeOracleGeneral } from '../../simulator/trace';
import { LOG_HEADER, logLine } from './log-lines';

describe('simulator/trace: CSV traces', () => {
  it('reads time,id,size in any column order and maps ids to dense ids', () => {
    const t = readCsvTrace('size,time,id\n100,1,a\n200,2,b\n100,3,a\n');
    expect([t.length, t.objects, Array.from(t.id), Array.from(t.size), Array.from(t.time), t.malformed]).to.deep.equal([3, 2, [0, 1, 0], [100, 200, 100], [1, 2, 3], 0]);
  });

  it('counts malformed lines instead of failing, with the first examples', () => {
    const t = readCsvTrace('time,id,size\n1,a,10\nx,b,10\n2,c\n3,d,-5\n4,e,20\n');
    expect([t.length, t.malformed]).to.deep.equal([2, 3]);
    expect(t.malformedExamples).to.deep.equal([
      "line 3: time 'x' is not a number",
      'line 4: 2 fields, expected at least 3',
      "line 5: size '-5' is not a number ≥ 0",
    ]);
  });

  it('reports a missing header as one malformed line and reads nothing', () => {
    const t = readCsvTrace('1,a,10\n2,b,10\n');
    expect([t.length, t.malformed, t.malformedExamples[0]]).to.deep.equal([0, 1, "line 1: expected a header with the columns time,id,size, got '1,a,10'"]);
  });
});

describe('simulator/trace: libCacheSim oracleGeneral', () => {
  it('writes 24-byte records with the 1-based position of the next access, or -1', () => {
    const buf = writeOracleGeneral([5, 6, 7], [10, 2 ** 40 + 3, 10], [100, 200, 100], 3);
    const view = new DataView(buf.buffer);
    expect(buf.byteLength).to.equal(72);
    expect([view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true), view.getUint32(12, true), Number(view.getBigInt64(16, true))]).to.deep.equal([5, 10, 0, 100, 3]);
    expect([view.getUint32(28, true), view.getUint32(32, true), Number(view.getBigInt64(40, true))]).to.deep.equal([3, 256, -1]);
    expect(Number(view.getBigInt64(64, true))).to.equal(-1);
  });

  it('reads back what it wrote, 64-bit ids included', () => {
    const t = readOracleGeneral(writeOracleGeneral([1, 2, 3, 4], [7, 2 ** 40 + 7, 7, 2 ** 40 + 7], [10, 20, 10, 20], 4));
    expect([t.length, t.objects, Array.from(t.id), Array.from(t.size), t.malformed]).to.deep.equal([4, 2, [0, 1, 0, 1], [10, 20, 10, 20], 0]);
  });

  it('numbers uint64 ids densely by first appearance through table growth (same low or high halves, halves above 2^31)', () => {
    const ids = new U64Ids(2);
    const keys: [number, number][] = [];
    for (let i = 0; i < 3000; i++) keys.push([i % 50, Math.floor(i / 50)], [0xffffffff - i, 0x80000000 + (i % 3)]);
    const first = keys.map(([lo, hi]) => ids.id(lo, hi));
    expect(first).to.deep.equal(keys.map((_, i) => i));
    expect(keys.map(([lo, hi]) => ids.id(lo, hi))).to.deep.equal(first);
    expect(ids.size).to.equal(6000);
    // in blocks (the reader's path), the table growing within a block: the same numbering
    const batched = new U64Ids(2);
    const out = new Int32Array(keys.length);
    for (let j = 0; j < keys.length; j += 1000) {
      const block = keys.slice(j, j + 1000);
      batched.ids(Int32Array.from(block, (k) => k[0]), Int32Array.from(block, (k) => k[1]), out.subarray(j), block.length);
    }
    expect(Array.from(out)).to.deep.equal(first);
  });

  it('counts a truncated trailing record as malformed', () => {
    const full = writeOracleGeneral([1, 2], [1, 2], [1, 1], 2);
    const t = readOracleGeneral(full.subarray(0, 40));
    expect([t.length, t.malformed, t.malformedExamples]).to.deep.equal([1, 1, ['record 2: truncated: 16 of 24 bytes']]);
  });
});

describe('simulator/trace: CloudFront standard logs (v1)', () => {
  const text = [
    LOG_HEADER,
    logLine({}),
    logLine({ time: '12:00:01', 'cs-uri-stem': '/video/t1/1080p.mp4', 'sc-status': '206', 'sc-range-start': '0', 'sc-range-end': '4499999', 'sc-content-len': '4500000', 'sc-bytes': '4500400', 'x-edge-location': 'FRA56-P3', 'x-edge-detailed-result-type': 'OriginShieldHit', 'x-edge-result-type': 'Miss' }),
    logLine({ time: '12:00:02', 'cs-uri-stem': '/api/search', 'cs-uri-query': 'q=term1&page=1', 'x-edge-result-type': 'Miss', 'x-edge-detailed-result-type': 'Miss' }),
    logLine({ time: '12:00:03', 'cs-method': 'POST', 'cs-uri-stem': '/api/me/progress' }),
    'garbage line without tabs',
    logLine({ date: '2026-13-45' }),
    logLine({ 'sc-bytes': 'lots' }),
    logLine({ time: '11:59:59', 'cs-uri-stem': '/static/app.js' }),
  ].join('\n');

  it('reads every field it needs by the #Fields header, and counts bad lines', () => {
    const log = parseCloudFrontLogs([text]);
    expect(log.length).to.equal(5);
    expect(log.malformed).to.equal(3);
    expect(log.malformedExamples).to.deep.equal([
      'line 7: 1 tab-separated fields, the #Fields header names 33',
      "line 8: date/time '2026-13-45 12:00:00' is not YYYY-MM-DD HH:MM:SS",
      "line 9: sc-bytes 'lots' is not a number",
    ]);
    expect(log.urls).to.deep.equal(['/static/app.js', '/video/t1/1080p.mp4', '/api/search?q=term1&page=1', '/api/me/progress']);
    expect(log.edges).to.deep.equal(['IAD89-C1', 'FRA56-P3']);
    expect(Array.from(log.method)).to.deep.equal([0, 0, 0, 2, 0]);
    expect(Array.from(log.rangeStart)).to.deep.equal([-1, 0, -1, -1, -1]);
    expect(Array.from(log.time)[0]).to.equal(Date.UTC(2026, 2, 1, 12, 0, 0) / 1000);
  });

  it('follows a #Fields header that lists fewer fields in another order', () => {
    const short = '#Version: 1.0\n#Fields: time date cs-uri-stem x-edge-location sc-bytes cs-method sc-status\n12:00:00\t2026-03-01\t/a\tLHR50-C1\t10\tGET\t200\n';
    const log = parseCloudFrontLogs([short]);
    expect([log.length, log.malformed, log.urls[0], log.edges[0], log.bytes[0]]).to.deep.equal([1, 0, '/a', 'LHR50-C1', 10]);
  });

  it('reads gzip-compressed files as CloudFront delivers them', () => {
    const gz = gzipSync(Buffer.from(text));
    expect(logText(gz)).to.equal(text);
    expect(logText(Buffer.from(text))).to.equal(text);
  });

  it('turns a log into a single-cache trace: GET/HEAD in time order, range pieces as objects, POST skipped', () => {
    const t = traceFromLog(parseCloudFrontLogs([text]));
    // the 11:59:59 request comes first; app.js appears twice; the range piece and the search are their own objects
    expect([t.length, t.objects, Array.from(t.id), Array.from(t.size), t.skipped, t.malformed]).to.deep.equal([4, 3, [0, 0, 1, 2], [900, 900, 4500000, 900], 1, 3]);
  });
});
