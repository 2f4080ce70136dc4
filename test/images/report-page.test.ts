/**
 * `images optimize --html`: the page shows bytes per format and each image's variants side by side;
 * in headless Chromium every AVIF/WebP/JPEG/PNG variant decodes (when Chromium is installed).
 */
import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { galleryWidth, optimizeReportPage, type ManifestVariant } from '../../lib/images';
import { checkPageInChromium, chromiumPath, pageIsClean } from '../support/chrome-check';
import { renderHtmlReport } from '../../lib/report/html';
import { chartJsSource } from '../../adapters/chart-js';
import { runScriptAsync, sampleImage, tempDir } from './helpers';

const variant = (width: number, format: ManifestVariant['format'] = 'avif'): ManifestVariant => ({ key: `k/${width}.${format}`, format, width, height: width / 2, bytes: 1000, contentType: `image/${format}`, quality: 50, ssim: 0.981 });

describe('images optimize --html', function () {
  this.timeout(90_000);

  it('shows the widest width up to the limit, or the smallest when all are wider', () => {
    expect(galleryWidth([variant(320), variant(640), variant(1280)], 640)).to.equal(640);
    expect(galleryWidth([variant(1000), variant(1280)], 640)).to.equal(1000);
  });

  it('refuses a gallery picture that is not a data: URI (the page must stay self-contained)', () => {
    expect(() => renderHtmlReport({ title: 't', sections: [{ title: 's', gallery: [{ src: 'https://example.com/a.avif', alt: 'a', caption: 'c' }] }] }, chartJsSource()))
      .to.throw("gallery image 'c' of section 's' must be a data:image/…;base64 URI");
  });

  it('builds one section per image with captions from the manifest', () => {
    const page = optimizeReportPage(
      { source: '/d', prefix: 'thumbnails/', counts: { listed: 1, processed: 1, skipped: 0, failed: 0 }, sourceBytes: 5000, bytesByFormat: { avif: 1000, jpeg: 2000 } },
      [{ key: 'thumbnails/a.jpg', originalBytes: 5000, variants: [{ ...variant(320), data: Buffer.from('x') }] }],
    );
    expect(page.sections.map((s) => s.title)).to.deep.equal(['Bytes per format (all widths) against the originals', 'thumbnails/a.jpg']);
    expect(page.sections[1]!.gallery![0]).to.deep.equal({ src: 'data:image/avif;base64,eA==', alt: 'thumbnails/a.jpg avif 320', caption: 'AVIF 320 w · 1.0 kB · q 50 · SSIM 0.981' });
    expect((page.sections[0]!.chart!.config as { data: { labels: string[] } }).data.labels).to.deep.equal(['originals', 'AVIF', 'JPEG']);
  });

  describe('the CLI on a local folder', () => {
    let tmp: ReturnType<typeof tempDir>;
    let html: string;
    before(async () => {
      tmp = tempDir('images-html');
      mkdirSync(join(tmp.dir, 'thumbnails'), { recursive: true });
      writeFileSync(join(tmp.dir, 'thumbnails/a.jpg'), await sampleImage({ width: 400, height: 240, format: 'jpeg' }));
      writeFileSync(join(tmp.dir, 'thumbnails/b.png'), await sampleImage({ width: 200, height: 200, format: 'png', alpha: true }));
      const out = join(tmp.dir, 'report.html');
      const r = await runScriptAsync('scripts/images.ts', ['--dir', tmp.dir, 'optimize', '--sizes', '160,320', '--ssim', '0.95', '--html', out, '--quiet']);
      expect(r.status, r.stderr).to.equal(0);
      html = readFileSync(out, 'utf8');
    });
    after(() => tmp?.remove());

    it('embeds each image\'s variants at one width, in every format kept, and the bytes chart', () => {
      expect(html).to.contain('<h2>thumbnails/a.jpg</h2>').and.contain('<h2>thumbnails/b.png</h2>');
      expect(html).to.match(/<img src="data:image\/jpeg;base64,[^"]+" alt="thumbnails\/a\.jpg jpeg 320">/);
      expect(html).to.match(/<img src="data:image\/png;base64,[^"]+" alt="thumbnails\/b\.png png 200">/);
      expect(html).to.contain('id="bytes-by-format"');
    });

    it('decodes every variant and draws the chart in headless Chromium, with no request leaving the page', async function () {
      if (!chromiumPath()) {
        console.log('    (skipped: no Chromium at /usr/bin/chromium or $CHROMIUM_PATH; install with apt-get install -y chromium)');
        this.skip();
      }
      const check = await checkPageInChromium(html);
      expect(check.brokenImages).to.deep.equal([]);
      expect(check.images).to.be.at.least(3);
      expect(check.charts).to.equal(1);
      expect(pageIsClean(check), JSON.stringify(check)).to.equal(true);
    });

    it('is refused for prune (exit 2)', async () => {
      const r = await runScriptAsync('scripts/images.ts', ['--dir', tmp.dir, 'prune', '--html', 'x.html']);
      expect([r.status, r.stderr.trim()]).to.deep.equal([2, 'error: --html applies to optimize only; drop it for prune.']);
    });
  });
});
