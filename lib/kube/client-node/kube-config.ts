import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { z } from 'zod';
import { KubeConfigError } from '../errors.ts';
import { formatZodIssues } from '../../apis/zod-issues.ts';

const NamedList = <S extends z.ZodType>(field: string, item: S) =>
  z.array(z.looseObject({ name: z.string().min(1), [field]: item })).min(1);

/** The parts of a kubeconfig Skyscale relies on; client-node reads the rest. */
const KubeConfigFileSchema = z
  .looseObject({
    clusters: NamedList('cluster', z.looseObject({ server: z.url() })),
    users: NamedList('user', z.looseObject({})),
    contexts: NamedList(
      'context',
      z.looseObject({ cluster: z.string().min(1), user: z.string().min(1) }),
    ),
    'current-context': z.string().min(1),
  })
  .superRefine((config, ctx) => {
    const context = config.contexts.find((entry) => entry.name === config['current-context']);
    if (!context) {
      ctx.addIssue({
        code: 'custom',
        path: ['current-context'],
        message: `no context named "${config['current-context']}"`,
      });
      return;
    }
    const { cluster, user } = context['context'] as { cluster: string; user: string };
    if (!config.clusters.some((entry) => entry.name === cluster)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contexts', config.contexts.indexOf(context), 'context', 'cluster'],
        message: `no cluster named "${cluster}"`,
      });
    }
    if (!config.users.some((entry) => entry.name === user)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contexts', config.contexts.indexOf(context), 'context', 'user'],
        message: `no user named "${user}"`,
      });
    }
  });

/** A kubeconfig document, validated; `source` names it in errors. */
export function kubeConfigFromYaml(text: string, source: string): KubeConfig {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new KubeConfigError(`${source}: not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = KubeConfigFileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = formatZodIssues(parsed.error).join('; ');
    throw new KubeConfigError(`${source}: invalid kubeconfig: ${problems}`);
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(text);
  return kubeConfig;
}

/** The kubeconfig file the CLI is pointed at. */
export function kubeConfigFromFile(path: string): KubeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KubeConfigError(`${path}: cannot read the kubeconfig: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const kubeConfig = kubeConfigFromYaml(text, path);
  kubeConfig.makePathsAbsolute(dirname(path));
  return kubeConfig;
}
