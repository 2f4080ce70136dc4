/**
 * A bounded reorder window for traces that are nearly but not exactly in time order (CloudFront log
 * lines within a file, files of neighbouring hours): requests wait in a min-heap on (time, arrival)
 * until the newest time seen is `windowSeconds` past theirs, then go out in order. The output equals
 * a stable sort by time whenever no request arrives more than the window late; later ones are sent
 * at once and counted (`late`). Memory: the requests of one window, in typed arrays.
 */
import type { RequestSink } from './trace';

export class ReorderWindow implements RequestSink {
  private time = new Float64Array(1024);
  private seq = new Float64Array(1024);
  private id = new Int32Array(1024);
  private size = new Float64Array(1024);
  private n = 0;
  private arrivals = 0;
  private newest = -Infinity;
  private lastOut = -Infinity;
  /** Requests that arrived more than the window behind the newest time, sent out of order. */
  late = 0;

  constructor(private readonly sink: RequestSink, readonly windowSeconds: number) {}

  request(time: number, id: number, size: number): void {
    if (time < this.lastOut) {
      this.late++;
      this.sink.request(time, id, size);
      return;
    }
    this.insert(time, id, size);
    if (time > this.newest) this.newest = time;
    const until = this.newest - this.windowSeconds;
    while (this.n > 0 && this.time[0]! < until) this.pop();
  }

  /** Sends every waiting request. */
  flush(): void {
    while (this.n > 0) this.pop();
  }

  private less(a: number, b: number): boolean {
    const ta = this.time[a]!, tb = this.time[b]!;
    return ta < tb || (ta === tb && this.seq[a]! < this.seq[b]!);
  }

  private swap(a: number, b: number): void {
    const t = this.time[a]!; this.time[a] = this.time[b]!; this.time[b] = t;
    const s = this.seq[a]!; this.seq[a] = this.seq[b]!; this.seq[b] = s;
    const i = this.id[a]!; this.id[a] = this.id[b]!; this.id[b] = i;
    const z = this.size[a]!; this.size[a] = this.size[b]!; this.size[b] = z;
  }

  private insert(time: number, id: number, size: number): void {
    if (this.n === this.time.length) this.grow();
    let i = this.n++;
    this.time[i] = time; this.seq[i] = this.arrivals++; this.id[i] = id; this.size[i] = size;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private pop(): void {
    const time = this.time[0]!, id = this.id[0]!, size = this.size[0]!;
    this.n--;
    if (this.n > 0) {
      this.time[0] = this.time[this.n]!; this.seq[0] = this.seq[this.n]!; this.id[0] = this.id[this.n]!; this.size[0] = this.size[this.n]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < this.n && this.less(l, m)) m = l;
        if (r < this.n && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    this.lastOut = time;
    this.sink.request(time, id, size);
  }

  private grow(): void {
    const n = this.time.length * 2;
    const g64 = (a: Float64Array) => { const b = new Float64Array(n); b.set(a); return b; };
    this.time = g64(this.time); this.seq = g64(this.seq); this.size = g64(this.size);
    const id = new Int32Array(n); id.set(this.id); this.id = id;
  }
}
