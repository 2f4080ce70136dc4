import { expect } from 'chai';
import { startActivity, startProgress } from '../../scripts/lib/progress';

describe('scripts/lib/progress: long runs report rate, ETA and memory', () => {
  function fakeStream() {
    const lines: string[] = [];
    return { lines, stream: { isTTY: false, write: (s: string) => { lines.push(s); return true; } } as unknown as NodeJS.WriteStream };
  }

  it('writes done/total, requests per second, the ETA and the RSS on a log stream', () => {
    const { lines, stream } = fakeStream();
    const p = startProgress('simulating (requests)', 100, { stream });
    p.increment(50);
    p.stop();
    expect(lines.at(-1)).to.match(/^simulating \(requests\): 50\/100 \(50%\), [\d.]+( k| M)?\/s, eta \d+ (s|min), rss \d+ MiB\n$/);
  });

  it('writes nothing when quiet', () => {
    const { lines, stream } = fakeStream();
    const p = startProgress('x', 10, { stream, quiet: true });
    p.increment(10);
    p.stop();
    expect(lines).to.deep.equal([]);
  });

  it('reports work of unknown size: the time so far and memory, and the share done once it is known', () => {
    const { lines, stream } = fakeStream();
    const a = startActivity('8 analyses with DuckDB', { stream });
    a.set(undefined);
    a.stop();
    expect(lines.at(-1)).to.match(/^8 analyses with DuckDB: \d+ s, rss \d+ MiB\n$/);
    const b = startActivity('scan', { stream });
    b.set(0.426);
    b.stop();
    expect(lines.at(-1)).to.match(/^scan: 42%, \d+ s, rss \d+ MiB\n$/);
    const quiet = fakeStream();
    const c = startActivity('scan', { stream: quiet.stream, quiet: true });
    c.set(1);
    c.stop();
    expect(quiet.lines).to.deep.equal([]);
  });
});
