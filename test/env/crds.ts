import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

import { formatIssues } from '../../lib/apis/index.ts';
import { readManifestFile } from '../../lib/cli/manifest-file.ts';
import { httpsRequest, type HttpsRequestOptions } from './network.ts';

const CRD_API = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const ESTABLISHED_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;

const CustomResourceDefinitionSchema = z.looseObject({
  apiVersion: z.literal('apiextensions.k8s.io/v1'),
  kind: z.literal('CustomResourceDefinition'),
  metadata: z.looseObject({ name: z.string().min(1) }),
});

const CrdStatusSchema = z.object({
  status: z
    .object({ conditions: z.array(z.object({ type: z.string(), status: z.string() })).nullish() })
    .nullish(),
});

type CustomResourceDefinition = z.infer<typeof CustomResourceDefinitionSchema>;

export interface ApiserverAccess {
  readonly server: string;
  readonly ca: string;
  readonly token: string;
}

async function readCrdManifests(directory: string): Promise<CustomResourceDefinition[]> {
  const files = (await readdir(directory).catch(() => [])).filter((name) => /\.ya?ml$/.test(name));
  if (files.length === 0) throw new Error(`no CRD manifests (*.yaml) found in ${directory}`);
  const documents = await Promise.all(
    files.sort().map((file) => readManifestFile(join(directory, file))),
  );
  return documents.flat().map((document) => {
    const parsed = CustomResourceDefinitionSchema.safeParse(document.object);
    if (!parsed.success) throw new Error(formatIssues(document, parsed.error.issues).join('\n'));
    return parsed.data;
  });
}

async function isEstablished(
  name: string,
  request: HttpsRequestOptions,
  server: string,
): Promise<boolean> {
  const { status, body } = await httpsRequest(`${server}${CRD_API}/${name}`, request);
  if (status !== 200) return false;
  const conditions = CrdStatusSchema.parse(JSON.parse(body)).status?.conditions ?? [];
  return conditions.some(({ type, status: value }) => type === 'Established' && value === 'True');
}

/**
 * Creates every CustomResourceDefinition in `directory`'s YAML files (as raw JSON, so no client
 * model drops fields such as x-kubernetes-validations) and waits until each is Established.
 */
export async function installCrds(
  directory: string,
  { server, ca, token }: ApiserverAccess,
): Promise<string[]> {
  const crds = await readCrdManifests(directory);
  const access = { ca, token };
  for (const crd of crds) {
    const { status, body } = await httpsRequest(`${server}${CRD_API}`, {
      ...access,
      method: 'POST',
      json: crd,
    });
    if (status !== 201) {
      throw new Error(`creating CRD ${crd.metadata.name} failed with HTTP ${status}: ${body}`);
    }
  }
  const names = crds.map((crd) => crd.metadata.name);
  const deadline = performance.now() + ESTABLISHED_TIMEOUT_MS;
  for (const name of names) {
    while (!(await isEstablished(name, access, server))) {
      if (performance.now() > deadline) throw new Error(`CRD ${name} was not Established in time`);
      await sleep(POLL_INTERVAL_MS);
    }
  }
  return names;
}
