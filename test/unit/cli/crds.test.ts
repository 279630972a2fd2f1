import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../../../lib/cli/main.ts';

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['crds', ...args], {
    out: (text) => (out += text),
    err: (text) => (err += text),
  });
  return { code, out, err };
}

describe('skyscale crds', () => {
  it('prints the three CRDs as multi-document YAML', async () => {
    // Prepare / Act
    const { code, out } = await run();

    // Assess
    expect(code).toBe(0);
    const names = parseAllDocuments(out).map(
      (document) => (document.toJS() as { metadata: { name: string } }).metadata.name,
    );
    expect(names).toEqual([
      'nodepools.karpenter.sh',
      'nodeclaims.karpenter.sh',
      'ec2nodeclasses.karpenter.k8s.aws',
    ]);
  });

  it('rejects arguments', async () => {
    // Prepare / Act
    const { code, err } = await run('extra');

    // Assess
    expect(code).toBe(1);
    expect(err).toMatch(/^skyscale crds: unexpected argument "extra"/);
  });
});
