/**
 * Presentation of the viewer-experience result (./experience.ts): the terminal table and the HTML
 * report's section (startup p95 per region against the target, the rebuffering ratios). Pure.
 */
import { formatPercent, renderTable } from '../../lib/format/table';
import type { ReportSection } from '../../lib/report/html';
import { REGION_NAMES, REGIONS } from '../profile';
import type { VideoExperienceResult } from './experience';

const ms = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const passText = (p: boolean) => (p ? 'pass' : 'FAIL');

/** Headers and rows: per region, startup p50/p95 against the target, the CDN's share of startup, rebuffering against its target. */
export function videoTableData(v: VideoExperienceResult): { headers: string[]; rows: string[][] } {
  const rows: string[][] = [];
  for (const region of REGIONS) {
    const g = v.regions[region];
    if (g === undefined) continue;
    rows.push([
      REGION_NAMES[region], `${g.viewerMbps}`, ms(g.startupP50Ms), ms(g.startupP95Ms), formatPercent(g.startupTtfbShare, 0),
      formatPercent(g.rebufferingRatio, 3), formatPercent(g.sessionsWithStall), g.meanBitrateMbps.toFixed(1), passText(g.startupPass && g.rebufferingPass),
    ]);
  }
  const o = v.overall;
  if (o !== undefined) rows.push(['all viewers', '', ms(o.startupP50Ms), ms(o.startupP95Ms), '', formatPercent(o.rebufferingRatio, 3), '', '', passText(o.startupPass && o.rebufferingPass)]);
  return {
    headers: [
      'viewers in', 'median Mbps', 'startup p50 ms', `startup p95 ms (< ${ms(v.targets.startupP95Ms)})`, 'of which TTFB',
      `rebuffering (< ${formatPercent(v.targets.rebufferingRatio, 1)})`, 'sessions stalled', 'mean Mbps played', 'result',
    ],
    rows,
  };
}

/** The terminal table and a line on the model. */
export function renderVideoTable(v: VideoExperienceResult): string {
  const { headers, rows } = videoTableData(v);
  const sessions = Object.values(v.regions)[0]?.sessions ?? 0;
  const standIns = REGIONS.flatMap((r) => (v.regions[r]?.ttfbStandIns ?? []).map((s) => `${r} ${s}`));
  return [
    renderTable(headers, rows, headers.map((_, i) => (i === 0 ? 'left' : 'right'))),
    `${sessions.toLocaleString('en-US')} sessions per region; ${Math.round(v.watchSeconds / 60)} min watched of ${v.segmentSeconds} s segments over ${v.ladder.map((r) => `${r.name} ${r.bitrateMbps.toFixed(1)}`).join(' / ')} Mbps (docs/viewer-experience.md)`,
    ...(standIns.length > 0 ? [`no simulated TTFB of their own (stood in): ${standIns.join('; ')}`] : []),
  ].join('\n');
}

/** The HTML report's section: startup p95 per region (bars, green within the target) and the table. */
export function videoReportSection(v: VideoExperienceResult): ReportSection {
  const regions = REGIONS.filter((r) => v.regions[r] !== undefined);
  return {
    title: 'Video viewer experience: startup time and rebuffering by viewer region',
    text:
      `Player sessions simulated over each region's simulated TTFB of manifests and segments and its viewers' throughput (docs/viewer-experience.md). ` +
      `Startup: time until the first segment is buffered (playlists, init segment, segment); target p95 < ${ms(v.targets.startupP95Ms)} ms. ` +
      `Rebuffering ratio: stall time over stall + watch time; target < ${formatPercent(v.targets.rebufferingRatio, 1)}. Green bars meet the startup target, red bars miss it.`,
    chart: {
      id: 'video-startup',
      config: {
        type: 'bar',
        data: {
          labels: regions.map((r) => REGION_NAMES[r]),
          datasets: [
            { label: 'startup p95 (ms)', data: regions.map((r) => v.regions[r]!.startupP95Ms), backgroundColor: regions.map((r) => (v.regions[r]!.startupPass ? '#2ca02c' : '#d62728')) },
            { label: 'startup p50 (ms)', data: regions.map((r) => v.regions[r]!.startupP50Ms), backgroundColor: '#1f77b4' },
            { label: 'target p95 (ms)', data: regions.map(() => v.targets.startupP95Ms), backgroundColor: '#9aa3b1' },
          ],
        },
        options: { scales: { y: { min: 0, title: { display: true, text: 'startup time (ms)' } } } },
      },
    },
    table: videoTableData(v),
  };
}
