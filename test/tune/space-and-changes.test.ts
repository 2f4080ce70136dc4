import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { CONTENT_TYPES, defaultTtlBound, maxStaleSeconds } from '../../lib/catalog';
import { editStackFileText } from '../../lib/config/stack-file-edit';
import { lineDiff } from '../../lib/format/diff';
import { readStackConfig } from '../../plan/stack-files';
import { configChanges, configWith, setArgsOf } from '../../simulator/tune/changes';
import { settingsOf } from '../../simulator/tune/search';
import { defaultTuneSpace, ttlLadder } from '../../simulator/tune/space';

const REPO = join(__dirname, '..', '..');

describe('the tuner space (simulator/tune/space.ts)', () => {
  it('builds a TTL ladder from the catalog value to the bound, with a nice middle step', () => {
    expect(ttlLadder(300, 21_600)).to.deep.equal([300, 3600, 21_600]);
    expect(ttlLadder(900, 900)).to.deep.equal([900]);
    expect(ttlLadder(3600, 7200)).to.deep.equal([3600, 7200]);
  });

  it('keeps every default TTL and stale-window option within the bounds the policy pack checks', () => {
    const space = defaultTuneSpace(readStackConfig('prod'));
    for (const d of space.dimensions.filter((x) => x.separableBy)) {
      const type = CONTENT_TYPES.find((t) => t.name === d.separableBy)!;
      for (const o of d.options) {
        for (const [k, v] of Object.entries(o.settings)) {
          if (k.endsWith('.defaultTtl')) expect(v).to.be.at.most(defaultTtlBound(type));
          if (/\.stale(WhileRevalidate|IfError)$/.test(k)) expect(v).to.be.within(0, maxStaleSeconds(type));
        }
      }
    }
  });

  it('leaves the primary and the failover Region out of the Regions ladder', () => {
    const config = readStackConfig('prod');
    const regions = defaultTuneSpace(config).dimensions.find((d) => d.name === 'originRegions')!;
    const all = regions.options.flatMap((o) => o.settings.originRegions as string[]);
    expect(all).to.not.include(config['media-cdn:failoverRegion']).and.not.include(config['aws:region']);
    expect(all).to.include('eu-central-1');
    expect(regions.monotoneFor).to.equal('latency');
  });

  it("has the prod stack's own settings as the current point", () => {
    const config = readStackConfig('prod');
    const space = defaultTuneSpace(config);
    const current = settingsOf(space, space.dimensions.map((d) => d.current));
    expect(current.priceClass).to.equal(config['media-cdn:priceClass']);
    expect(current.originShieldRegion).to.equal(config['media-cdn:originShieldRegion']);
    expect(configChanges(config, current)).to.deep.equal([]);
  });
});

describe('tuner settings to stack config (simulator/tune/changes.ts)', () => {
  const config = { 'aws:region': 'us-east-1', 'media-cdn:priceClass': 'PriceClass_All', 'media-cdn:contentTypes': { metadata: { defaultTtl: 600 } } };

  it('encodes settings as --set arguments that keep strings strings', () => {
    expect(setArgsOf({ priceClass: 'PriceClass_100', 'video.defaultTtl': 3600 })).to.deep.equal(['priceClass="PriceClass_100"', 'video.defaultTtl=3600']);
  });

  it('applies settings through the what-if path and lists only the effective changes', () => {
    const settings = { priceClass: 'PriceClass_200', 'metadata.defaultTtl': 900, 'video.defaultTtl': 21_600, originShieldRegion: 'us-east-1' };
    const next = configWith(config, settings);
    expect(next['media-cdn:priceClass']).to.equal('PriceClass_200');
    expect(next['media-cdn:contentTypes']).to.deep.equal({ metadata: { defaultTtl: 900 }, video: { defaultTtl: 21_600 } });
    // video.defaultTtl is the catalog's value and us-east-1 the schema default: no change.
    expect(configChanges(config, settings)).to.deep.equal([
      { path: ['media-cdn:contentTypes', 'metadata', 'defaultTtl'], from: 600, to: 900 },
      { path: ['media-cdn:priceClass'], from: 'PriceClass_All', to: 'PriceClass_200' },
    ]);
  });

  it('rejects a setting the what-if path does not know, naming it', () => {
    expect(() => configWith(config, { 'video.color': 'red' })).to.throw("unknown setting 'color' of route 'video'");
  });
});

describe('editing a stack file (lib/config/stack-file-edit.ts)', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'media-cdn-tune-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('on a temp copy of Pulumi.prod.yaml, changes only the edited keys and keeps comments and order', () => {
    const file = join(dir, 'Pulumi.prod.yaml');
    copyFileSync(join(REPO, 'Pulumi.prod.yaml'), file);
    const original = `# tuned by hand once\n${readFileSync(file, 'utf8')}`;
    const edited = editStackFileText(original, [
      { path: ['media-cdn:priceClass'], value: 'PriceClass_200' },
      { path: ['media-cdn:contentTypes', 'video-manifests', 'defaultTtl'], value: 3600 },
    ], file);
    expect(edited.startsWith('# tuned by hand once\n')).to.equal(true);
    const a = YAML.parse(original).config as Record<string, unknown>;
    const b = YAML.parse(edited).config as Record<string, unknown>;
    expect(b['media-cdn:priceClass']).to.equal('PriceClass_200');
    expect(b['media-cdn:contentTypes']).to.deep.equal({ 'video-manifests': { defaultTtl: 3600 } });
    const changed = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    expect(changed).to.deep.equal(['media-cdn:priceClass', 'media-cdn:contentTypes']);
    expect(Object.keys(b).slice(0, Object.keys(a).length)).to.deep.equal(Object.keys(a));
    // every line but the price class is kept, byte for byte; the new map is appended
    const diff = lineDiff(original, edited).split('\n').filter((l) => /^[-+][^-+]/.test(l));
    expect(diff).to.deep.equal([
      '-  media-cdn:priceClass: PriceClass_All',
      '+  media-cdn:priceClass: PriceClass_200',
      '+  media-cdn:contentTypes:',
      '+    video-manifests:',
      '+      defaultTtl: 3600',
    ]);
  });

  it('returns the text unchanged with no edits, and rejects a file without config:', () => {
    const text = readFileSync(join(REPO, 'Pulumi.staging.yaml'), 'utf8');
    expect(editStackFileText(text, [])).to.equal(text);
    expect(() => editStackFileText('name: x\n', [], 'Pulumi.x.yaml')).to.throw("Pulumi.x.yaml has no 'config:' map");
  });
});

describe('lineDiff (lib/format/diff.ts)', () => {
  it('shows changed lines with context and nothing for equal texts', () => {
    expect(lineDiff('a\nb\nc', 'a\nb\nc')).to.equal('');
    expect(lineDiff('a\nb\nc\nd\ne\nf', 'a\nb\nX\nd\ne\nf', ['old', 'new'], 1)).to.equal(['--- old', '+++ new', '@@', ' b', '-c', '+X', ' d'].join('\n'));
  });
});
