import { expect } from 'chai';
import { startProgress } from '../../scripts/lib/progress';

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
});
