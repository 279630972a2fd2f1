/** Just enough of MIME multipart/mixed (RFC 2046) to build and merge cloud-init user data. */
import { CloudProviderError } from '../../errors.ts';

export interface MimePart {
  readonly contentType: string;
  readonly body: string;
}

const BOUNDARY = '//';

export function isMimeMultipart(text: string): boolean {
  return /^MIME-Version:/im.test(text.trimStart().split(/\r?\n\r?\n/, 1)[0] ?? '');
}

export function buildMimeMultipart(parts: readonly MimePart[]): string {
  const lines = ['MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`, ''];
  for (const part of parts) {
    lines.push(
      `--${BOUNDARY}`,
      `Content-Type: ${part.contentType}`,
      '',
      part.body.replace(/\n+$/, ''),
      '',
    );
  }
  lines.push(`--${BOUNDARY}--`, '');
  return lines.join('\n');
}

function splitHeaders(block: string): { headers: Map<string, string>; body: string } {
  const normalized = block.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const body = end < 0 ? '' : normalized.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** The parts of a multipart/mixed document, in order. */
export function parseMimeMultipart(text: string): MimePart[] {
  const { headers, body } = splitHeaders(text.trimStart());
  const contentType = headers.get('content-type') ?? '';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!contentType.toLowerCase().startsWith('multipart/') || !boundary) {
    throw new CloudProviderError(
      'userData: MIME document has no multipart Content-Type with a boundary',
    );
  }
  const parts: MimePart[] = [];
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const part = splitHeaders(chunk.replace(/^\n/, ''));
    parts.push({
      contentType: part.headers.get('content-type') ?? 'text/plain',
      body: part.body.replace(/\n+$/, ''),
    });
  }
  return parts;
}
