import { expect } from 'chai';
import { parseStackConfig } from '../../lib/config';
import { InputError } from '../../lib/errors';
import { readStackConfig, validateStackFileConfig } from '../../plan/stack-files';

const PEM = readStackConfig('prod')['media-cdn:signingPublicKeyPem'] as string;

/** A valid staging config with RUM on for the players at www and tv; each bad case changes one key. */
function raw(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { environment: 'staging', signingPublicKeyPem: PEM, rum: true, corsAllowedOrigins: ['https://www.example.com', 'https://tv.example.com:8443'], ...overrides };
}

function problemsOf(overrides: Record<string, unknown>): string {
  try {
    parseStackConfig('staging', 'us-east-1', raw(overrides));
  } catch (e) {
    if (e instanceof InputError) return e.problems.join('\n');
    throw e;
  }
  return '';
}

describe('RUM settings of the stack config', () => {
  it('defaults to off, 10 % of sessions, no CloudWatch Logs copy', () => {
    const c = parseStackConfig('staging', 'us-east-1', { environment: 'staging', signingPublicKeyPem: PEM });
    expect({ rum: c.rum, rate: c.rumSessionSampleRate, logs: c.rumCloudWatchLogs }).to.deep.equal({ rum: false, rate: 0.1, logs: false });
  });

  it('takes the player domains from the hosts of corsAllowedOrigins when rumDomains is empty', () => {
    expect(parseStackConfig('staging', 'us-east-1', raw()).rumDomains).to.deep.equal(['www.example.com', 'tv.example.com']);
  });

  it('prefers rumDomains, wildcards allowed', () => {
    expect(parseStackConfig('staging', 'us-east-1', raw({ rumDomains: ['*.example.com'] })).rumDomains).to.deep.equal(['*.example.com']);
  });

  it('reads the sample rate as a number or as the string the Pulumi config gives', () => {
    expect(parseStackConfig('staging', 'us-east-1', raw({ rumSessionSampleRate: '0.25' })).rumSessionSampleRate).to.equal(0.25);
    expect(parseStackConfig('staging', 'us-east-1', raw({ rumSessionSampleRate: 1 })).rumSessionSampleRate).to.equal(1);
    expect(parseStackConfig('staging', 'us-east-1', raw({ rumSessionSampleRate: 0 })).rumSessionSampleRate).to.equal(0);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['a rate above 1 that reads like a percentage', { rumSessionSampleRate: 10 },
      'media-cdn:rumSessionSampleRate must be between 0 and 1, got 10; it is a share, not a percentage: write 0.1 for 10 %.'],
    ['a negative rate', { rumSessionSampleRate: -0.1 }, 'media-cdn:rumSessionSampleRate must be between 0 and 1, got -0.1.'],
    ['a rate that is not a number', { rumSessionSampleRate: 'ten percent' }, "media-cdn:rumSessionSampleRate must be a number from 0 to 1, got 'ten percent'."],
    ['no player domain at all', { corsAllowedOrigins: ['*'] },
      `media-cdn:rumDomains is empty and media-cdn:corsAllowedOrigins names no player origin (["*"]), but media-cdn:rum is true; list the player pages' domains in media-cdn:rumDomains, such as ["www.example.com"], or set rum to false.`],
    ['more than 5 domains', { rumDomains: ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com', 'e.example.com', 'f.example.com'] },
      "media-cdn:rumDomains gives 6 RUM domains (a.example.com, b.example.com, c.example.com, d.example.com, e.example.com, f.example.com), but an app monitor accepts at most 5; list the player pages' domains in media-cdn:rumDomains, using '*.example.com' to cover several hosts."],
    ['a URL instead of a domain', { rumDomains: ['https://www.example.com/player'] },
      "media-cdn:rumDomains contains 'https://www.example.com/player', which is not a domain name such as 'www.example.com' or '*.example.com' (no scheme, no path)."],
  ];
  for (const [what, overrides, message] of bad) {
    it(`refuses ${what}, saying how to fix it`, () => {
      expect(problemsOf(overrides)).to.equal(message);
    });
  }

  it('ignores the domains when RUM is off', () => {
    expect(problemsOf({ rum: false, corsAllowedOrigins: ['*'] })).to.equal('');
  });

  it('turns RUM on in prod, for the player origins, at 10 % of sessions', () => {
    const c = validateStackFileConfig('prod', readStackConfig('prod'));
    expect({ rum: c.rum, rate: c.rumSessionSampleRate, domains: c.rumDomains }).to.deep.equal({
      rum: true, rate: 0.1, domains: ['www.example-stream.com', 'tv.example-stream.com'],
    });
  });
});
