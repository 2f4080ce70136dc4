/**
 * Renders an HTML page in headless Chromium (puppeteer-core) and reports what went wrong: console
 * errors, uncaught exceptions, requests that left the page (a self-contained report makes none), and
 * how many Chart.js charts were drawn. Used by the tests (test-only: it needs a browser).
 *
 * Chromium is not bundled: set CHROMIUM_PATH or install it (`apt-get install -y chromium`, which puts
 * it at /usr/bin/chromium). Callers that can live without it check `chromiumPath()` first.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** The Chromium executable to use, or undefined when none is installed. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.CHROMIUM_PATH, DEFAULT_CHROMIUM, '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p): p is string => !!p && existsSync(p));
}

export interface PageCheck {
  /** `console.error` messages and failed resource loads, in order. */
  readonly consoleErrors: readonly string[];
  /** Uncaught exceptions thrown by the page's scripts. */
  readonly pageErrors: readonly string[];
  /** URLs the page tried to fetch from the network (blocked). */
  readonly externalRequests: readonly string[];
  /** `<canvas>` elements on the page. */
  readonly canvases: number;
  /** Chart.js instances alive after load (0 when Chart.js did not load). */
  readonly charts: number;
  /** `<img>` elements on the page, and those the browser could not decode (no pixels after load). */
  readonly images: number;
  readonly brokenImages: readonly string[];
  readonly title: string;
}

export interface CheckOptions {
  /** Chromium executable; default chromiumPath(). */
  readonly executablePath?: string;
  /** Give up after this long; default 30 s. */
  readonly timeoutMs?: number;
}

/** True when a page loaded cleanly: no errors and no external requests. */
export function pageIsClean(check: PageCheck): boolean {
  return check.consoleErrors.length === 0 && check.pageErrors.length === 0 && check.externalRequests.length === 0 && check.brokenImages.length === 0;
}

/**
 * Loads `page` (an HTML string, or `{ file }` for a file on disk) in headless Chromium with the
 * network blocked, waits for load, and returns what it saw.
 * @throws Error when no Chromium is installed.
 */
export async function checkPageInChromium(page: string | { readonly file: string }, opts: CheckOptions = {}): Promise<PageCheck> {
  const executablePath = opts.executablePath ?? chromiumPath();
  if (!executablePath) throw new Error(`no Chromium found at ${DEFAULT_CHROMIUM} or $CHROMIUM_PATH; install it with 'apt-get install -y chromium' or set CHROMIUM_PATH.`);
  const timeout = opts.timeoutMs ?? 30_000;
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const tab = await browser.newPage();
    tab.setDefaultTimeout(timeout);
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const externalRequests: string[] = [];
    tab.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
    tab.on('pageerror', (err) => { pageErrors.push(err instanceof Error ? err.message : String(err)); });
    await tab.setRequestInterception(true);
    tab.on('request', (req) => {
      const url = req.url();
      if (/^(data|about|blob|file):/.test(url)) void req.continue();
      else { externalRequests.push(url); void req.abort(); }
    });
    if (typeof page === 'string') await tab.setContent(page, { waitUntil: 'load', timeout });
    else await tab.goto(pathToFileURL(page.file).href, { waitUntil: 'load', timeout });
    const seen = await tab.evaluate(() => {
      type Img = { complete: boolean; naturalWidth: number; alt: string };
      const w = globalThis as unknown as { Chart?: { instances?: Record<string, unknown> }; document: { title: string; querySelectorAll(s: string): { length: number } & Iterable<unknown> } };
      const imgs = [...(w.document.querySelectorAll('img') as Iterable<Img>)];
      return {
        images: imgs.length,
        brokenImages: imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.alt),
        canvases: w.document.querySelectorAll('canvas').length,
        charts: w.Chart?.instances ? Object.keys(w.Chart.instances).length : 0,
        title: w.document.title,
      };
    });
    return { consoleErrors, pageErrors, externalRequests, ...seen };
  } finally {
    await browser.close();
  }
}
