import { expect } from 'chai';
import { InputError } from '../../lib/errors';
import { parseCacheSize, runSingleCache } from '../../simulator/single-cache';
import { readCsvTrace } from '../../simulator/trace';

describe('simulator/single-cache: --cache-size', () => {
  const good: [string, unknown][] = [
    ['1000', { kind: 'objects', value: 1000 }],
    ['64MiB', { kind: 'bytes', value: 64 * 2 ** 20 }],
    ['10GB', { kind: 'bytes', value: 10e9 }],
    ['1.5KiB', { kind: 'bytes', value: 1536 }],
    ['512b', { kind: 'bytes', value: 512 }],
    ['1%', { kind: 'fraction', value: 0.01 }],
    ['0.1%', { kind: 'fraction', value: 0.001 }],
  ];
  for (const [text, expected] of good) {
    it(`reads '${text}'`, () => expect(parseCacheSize(text)).to.deep.equal(expected));
  }
  const bad: [string, RegExp][] = [
    ['0', /is not a cache size/],
    ['-5', /is not a cache size/],
    ['1.5', /is not a cache size/],
    ['64XB', /unknown unit 'XB'/],
    ['0%', /above 0 % and at most 100 %/],
    ['150%', /above 0 % and at most 100 %/],
    ['', /is not a cache size/],
  ];
  for (const [text, message] of bad) {
    it(`rejects '${text}' naming the value and the accepted forms`, () => {
      expect(() => parseCacheSize(text)).to.throw(InputError, message);
    });
  }
});

describe('simulator/single-cache: miss ratios', () => {
  // objects a (100 B), b (300 B), c (100 B): a b a c b a
  const trace = readCsvTrace('time,id,size\n1,a,100\n2,b,300\n3,a,100\n4,c,100\n5,b,300\n6,a,100\n');

  it('counts objects when the size is a plain number: 2 objects, LRU', () => {
    // a b a(hit) c(evicts b) b(evicts a) a(evicts c) → 5 misses
    const r = runSingleCache(trace, { policy: 'lru', size: parseCacheSize('2') });
    expect([r.misses, r.missRatio, r.missBytes, r.bytes, r.byteMissRatio, r.capacityUnit]).to.deep.equal([5, 5 / 6, 900, 1000, 0.9, 'objects']);
  });

  it('counts bytes with a unit: 400 B holds a and b but not c as well', () => {
    // a b a(hit) c(evicts b) b(evicts a: c + b = 400) a(evicts c) → 5 misses, 900 bytes
    const r = runSingleCache(trace, { policy: 'lru', size: parseCacheSize('400B') });
    expect([r.misses, r.missBytes, r.capacityUnit]).to.deep.equal([5, 900, 'bytes']);
  });

  it('with --ignore-size every object is 1, so the byte miss ratio equals the miss ratio', () => {
    const r = runSingleCache(trace, { policy: 'lru', size: parseCacheSize('3'), ignoreSize: true });
    expect([r.misses, r.missRatio, r.byteMissRatio]).to.deep.equal([3, 0.5, 0.5]);
  });

  it('sizes a share of the working set on its bytes, or on its objects with --ignore-size', () => {
    expect(runSingleCache(trace, { policy: 'lru', size: parseCacheSize('50%') }).capacity).to.equal(250);
    expect(runSingleCache(trace, { policy: 'lru', size: parseCacheSize('67%'), ignoreSize: true }).capacity).to.equal(2);
  });

  it('refuses an empty trace', () => {
    expect(() => runSingleCache(readCsvTrace('time,id,size\n'), { policy: 'lru', size: parseCacheSize('1') })).to.throw(InputError, /no readable requests/);
  });
});
