/** Sample CloudFront standard log lines (v1, the 33 documented fields) for the simulator tests. */
import { STANDARD_LOG_FIELDS } from '../../simulator/trace';

/** A log line with the 33 standard fields; `over` replaces fields by name. */
export function logLine(over: Partial<Record<(typeof STANDARD_LOG_FIELDS)[number], string>>): string {
  const base: Record<string, string> = {
    date: '2026-03-01', time: '12:00:00', 'x-edge-location': 'IAD89-C1', 'sc-bytes': '1024', 'c-ip': '192.0.2.10', 'cs-method': 'GET',
    'cs(Host)': 'd111111abcdef8.cloudfront.net', 'cs-uri-stem': '/static/app.js', 'sc-status': '200', 'cs(Referer)': '-',
    'cs(User-Agent)': 'Mozilla/5.0%20(X11;%20Linux%20x86_64)', 'cs-uri-query': '-', 'cs(Cookie)': '-', 'x-edge-result-type': 'Hit',
    'x-edge-request-id': 'SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==', 'x-host-header': 'cdn.example-stream.com', 'cs-protocol': 'https',
    'cs-bytes': '120', 'time-taken': '0.002', 'x-forwarded-for': '-', 'ssl-protocol': 'TLSv1.3', 'ssl-cipher': 'TLS_AES_128_GCM_SHA256',
    'x-edge-response-result-type': 'Hit', 'cs-protocol-version': 'HTTP/2.0', 'fle-status': '-', 'fle-encrypted-fields': '-', 'c-port': '51234',
    'time-to-first-byte': '0.001', 'x-edge-detailed-result-type': 'Hit', 'sc-content-type': 'application/javascript', 'sc-content-len': '900',
    'sc-range-start': '-', 'sc-range-end': '-',
  };
  return STANDARD_LOG_FIELDS.map((f) => over[f] ?? base[f]).join('\t');
}

export const LOG_HEADER = `#Version: 1.0\n#Fields: ${STANDARD_LOG_FIELDS.join(' ')}`;
