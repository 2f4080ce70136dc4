import { expect } from 'chai';
import { checkPageInChromium, chromiumPath, pageIsClean } from '../support/chrome-check';
import { escapeHtml, renderHtmlReport, scriptSafeJson } from '../../lib/report/html';
import { chartJsSource } from '../../adapters/chart-js';

const barChart = { type: 'bar', data: { labels: ['a', 'b'], datasets: [{ label: 'x', data: [1, 2] }] } };

describe('lib/report/html: renderHtmlReport', () => {
  it('escapes titles, text and table cells instead of interpreting them as HTML', () => {
    const html = renderHtmlReport({ title: 'A <b>', sections: [{ title: 's&t', text: '<script>x</script>', table: { headers: ['<h>'], rows: [['"q"']] } }] }, chartJsSource());
    expect(html).to.contain('<title>A &lt;b&gt;</title>');
    expect(html).to.contain('<h2>s&amp;t</h2>');
    expect(html).to.contain('<p>&lt;script&gt;x&lt;/script&gt;</p>');
    expect(html).to.contain('<th>&lt;h&gt;</th>');
    expect(html).to.contain('<td>&quot;q&quot;</td>');
  });

  it('embeds Chart.js inline only when a section has a chart', () => {
    const without = renderHtmlReport({ title: 't', sections: [{ title: 's', text: 'x' }] }, chartJsSource());
    const withChart = renderHtmlReport({ title: 't', sections: [{ title: 's', chart: { config: barChart } }] }, chartJsSource());
    expect(without).not.to.contain('Chart.js v4');
    expect(withChart).to.contain('Chart.js v4');
    expect(withChart).to.contain('<canvas id="chart-1"');
    expect(withChart).not.to.match(/<script[^>]+src=/);
  });

  it('keeps a chart label holding </script> from closing the data block', () => {
    expect(scriptSafeJson({ a: '</script>' })).to.equal('{"a":"\\u003c/script\\u003e"}');
    const html = renderHtmlReport({ title: 't', sections: [{ title: 's', chart: { config: { type: 'bar', data: { labels: ['</script>'], datasets: [] } } } }] }, chartJsSource());
    expect(html.split('</script>').length - 1).to.equal(3);
  });

  const badIds: [string, string, RegExp][] = [
    ['an id starting with a digit', '1x', /must start with a letter/],
    ['an id with a space', 'a b', /must start with a letter/],
  ];
  for (const [what, id, message] of badIds) {
    it(`rejects ${what}`, () => {
      expect(() => renderHtmlReport({ title: 't', sections: [{ title: 's', chart: { id, config: barChart } }] }, chartJsSource())).to.throw(message);
    });
  }

  it('rejects two charts with the same id', () => {
    const s = { title: 's', chart: { id: 'c', config: barChart } };
    expect(() => renderHtmlReport({ title: 't', sections: [s, s] }, chartJsSource())).to.throw(/used by two sections/);
  });

  it('escapes all five HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('test/support/chrome-check: a report in headless Chromium', function () {
  this.timeout(60_000);
  before(function () {
    if (!chromiumPath()) {
      console.log('    (skipped: no Chromium at /usr/bin/chromium or $CHROMIUM_PATH; install with apt-get install -y chromium)');
      this.skip();
    }
  });

  it('draws every chart with no console errors and no network requests', async () => {
    const html = renderHtmlReport({ title: 'check', sections: [
      { title: 'bar', chart: { config: barChart } },
      { title: 'line', chart: { id: 'line', config: { type: 'line', data: { datasets: [{ label: 'y', data: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }] }, options: { scales: { x: { type: 'linear' } } } } } },
    ] }, chartJsSource());
    const check = await checkPageInChromium(html);
    expect(check.consoleErrors).to.deep.equal([]);
    expect(check.pageErrors).to.deep.equal([]);
    expect(check.externalRequests).to.deep.equal([]);
    expect([check.canvases, check.charts, check.title]).to.deep.equal([2, 2, 'check']);
    expect(pageIsClean(check)).to.equal(true);
  });

  it('reports a page error, a console error and an external request', async () => {
    const html = '<html><head><title>bad</title><script src="https://example.com/x.js"></script></head><body><script>console.error("boom"); undefinedFn();</script></body></html>';
    const check = await checkPageInChromium(html);
    expect(check.externalRequests).to.deep.equal(['https://example.com/x.js']);
    expect(check.consoleErrors).to.include('boom');
    expect(check.pageErrors.join(' ')).to.contain('undefinedFn');
    expect(pageIsClean(check)).to.equal(false);
  });
});
