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

/** The resident memory now, in whole MiB. */
function rssMiB(): string {
  return (process.memoryUsage.rss() / 2 ** 20).toFixed(0);
}

/** Work done per second since `started`, and the resident memory now: the figures long runs report. */
function rateAndMemory(done: number, started: number): { rate: string; rss: string } {
  const seconds = (Date.now() - started) / 1000;
  const rate = seconds > 0 ? done / seconds : 0;
  return { rate: rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M` : rate >= 1e3 ? `${(rate / 1e3).toFixed(1)} k` : rate.toFixed(rate < 10 ? 1 : 0), rss: rssMiB() };
}

function etaText(done: number, total: number, started: number): string {
  if (done <= 0 || total <= done) return '0 s';
  const s = ((Date.now() - started) / 1000) * ((total - done) / done);
  return s >= 120 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;
}

export function startProgress(label: string, total: number, opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { increment() {}, setTotal() {}, stop() {} };
  const started = Date.now();
  let done = 0;
  if (stream.isTTY) {
    const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} {rate}/s eta {eta_formatted} rss {rss} MiB`, stream, hideCursor: true }, Presets.shades_classic);
    bar.start(total, 0, rateAndMemory(0, started));
    return { increment: (n = 1) => { done += n; bar.increment(n, rateAndMemory(done, started)); }, setTotal: (t) => bar.setTotal(t), stop: () => bar.stop() };
  }
  let last = 0;
  const report = (force: boolean) => {
    const now = Date.now();
    if (force || now - last >= 5000) {
      last = now;
      const { rate, rss } = rateAndMemory(done, started);
      stream.write(`${label}: ${done}/${total}${total > 0 ? ` (${Math.floor((100 * done) / total)}%)` : ''}, ${rate}/s, eta ${etaText(done, total, started)}, rss ${rss} MiB\n`);
    }
  };
  return {
    increment: (n = 1) => { done += n; report(false); },
    setTotal: (t) => { total = t; },
    stop: () => report(true),
  };
}

export interface Activity {
  /** The share done (0–1), when the work can tell; undefined when it cannot. */
  set(fraction: number | undefined): void;
  stop(): void;
}

/**
 * Progress for work that may not know its size (one long SQL statement): the share done when known,
 * the time so far and the resident memory, on a live line on a terminal (every second) or a line
 * every 5 s otherwise; nothing when quiet. On stderr.
 */
export function startActivity(label: string, opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Activity {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { set() {}, stop() {} };
  const started = Date.now();
  let fraction: number | undefined;
  const line = () => {
    const seconds = Math.round((Date.now() - started) / 1000);
    const share = fraction === undefined ? '' : `${Math.floor(fraction * 100)}%, `;
    return `${label}: ${share}${seconds} s, rss ${rssMiB()} MiB`;
  };
  const show = () => (stream.isTTY ? stream.write(`\r${line()}\x1b[K`) : stream.write(`${line()}\n`));
  const timer = setInterval(show, stream.isTTY ? 1000 : 5000);
  timer.unref();
  return {
    set: (f) => { fraction = f; },
    stop: () => {
      clearInterval(timer);
      if (stream.isTTY) stream.write(`\r${line()}\x1b[K\n`);
      else show();
    },
  };
}
