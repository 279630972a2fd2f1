import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';

const SETUP_SCRIPT = fileURLToPath(new URL('./setup.sh', import.meta.url));
const NOT_BUILT_EXIT_CODE = 3;

const TestEnvironmentLocationsSchema = z.object({
  cacheDir: z.string().min(1),
  kubernetesVersion: z.string().regex(/^v1\.\d+\.\d+$/),
  etcdVersion: z.string().regex(/^v3\.\d+\.\d+$/),
  kwokVersion: z.string().regex(/^v\d+\.\d+\.\d+$/),
  binaries: z.object({
    kubeApiserver: z.string().min(1),
    kubeControllerManager: z.string().min(1),
    kubeScheduler: z.string().min(1),
    etcd: z.string().min(1),
    kwok: z.string().min(1),
  }),
  /** KWOK's Stage manifests (node and pod behaviour), for `kwok --config`. */
  kwokStages: z.string().min(1),
  motoServer: z.string().min(1),
});

export type TestEnvironmentLocations = z.infer<typeof TestEnvironmentLocationsSchema>;

/**
 * Asks setup.sh (which owns the cache key) where the built binaries are. Fails, never skips,
 * when they are missing.
 */
export async function locateTestEnvironment(): Promise<TestEnvironmentLocations> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('bash', [SETUP_SCRIPT, '--locate']));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === NOT_BUILT_EXIT_CODE
        ? 'the test environment is not built'
        : `'bash ${SETUP_SCRIPT} --locate' failed`;
    throw new Error(`${reason}; run: bash test/env/setup.sh`, { cause: error });
  }
  const parsed = TestEnvironmentLocationsSchema.safeParse(JSON.parse(stdout));
  if (!parsed.success) {
    throw new Error(`setup.sh --locate printed unexpected JSON: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
