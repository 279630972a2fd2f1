import { freeLoopbackPort, LOOPBACK } from './network.ts';
import type { ChildProcesses } from './processes.ts';

const MOTO_READY_TIMEOUT_MS = 60_000;

/** Starts moto_server on loopback; resolves to its endpoint once its dashboard API answers. */
export async function startMoto(processes: ChildProcesses, motoServer: string): Promise<string> {
  const endpoint = `http://${LOOPBACK}:${await freeLoopbackPort()}`;
  const moto = processes.start('moto', motoServer, ['-H', LOOPBACK, '-p', new URL(endpoint).port]);
  await processes.waitUntilReady(
    moto,
    async () => (await fetch(`${endpoint}/moto-api/data.json`)).ok,
    MOTO_READY_TIMEOUT_MS,
  );
  return endpoint;
}
