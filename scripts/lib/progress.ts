/**
 * Progress bars for long work: a live bar on a terminal, a line every few seconds otherwise (CI logs),
 * nothing when quiet. Always on stderr so stdout stays machine-readable.
 */
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  increment(n?: number): void;
  setTotal(total: number): void;
  stop(): void;
}

export function startProgress(label: string, total: number, opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { increment() {}, setTotal() {}, stop() {} };
  if (stream.isTTY) {
    const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`, stream, hideCursor: true }, Presets.shades_classic);
    bar.start(total, 0);
    return { increment: (n = 1) => bar.increment(n), setTotal: (t) => bar.setTotal(t), stop: () => bar.stop() };
  }
  let done = 0;
  let last = 0;
  const report = (force: boolean) => {
    const now = Date.now();
    if (force || now - last >= 5000) {
      last = now;
      stream.write(`${label}: ${done}/${total}${total > 0 ? ` (${Math.floor((100 * done) / total)}%)` : ''}\n`);
    }
  };
  return {
    increment: (n = 1) => { done += n; report(false); },
    setTotal: (t) => { total = t; },
    stop: () => report(true),
  };
}
