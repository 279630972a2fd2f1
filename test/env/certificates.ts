import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const ADMIN_USER = 'skyscale-test-admin';

export interface ControlPlaneCredentials {
  readonly caCertPath: string;
  readonly caCertPem: string;
  /** Serves https on 127.0.0.1/localhost; used by kube-apiserver and kube-scheduler. */
  readonly servingCertPath: string;
  readonly servingKeyPath: string;
  readonly serviceAccountPublicKeyPath: string;
  readonly serviceAccountPrivateKeyPath: string;
  /** kube-apiserver --token-auth-file: one bearer token for a system:masters user. */
  readonly tokenAuthFilePath: string;
  readonly adminToken: string;
}

const CERT_VALIDITY_DAYS = '2';

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await promisify(execFile)('openssl', args);
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ENOENT';
    const hint = missing ? ' (openssl is not installed; Debian: apt-get install openssl)' : '';
    throw new Error(`openssl ${args[0]} failed${hint}`, { cause: error });
  }
}

/** Writes `<name>.crt` and `<name>.key` (P-256), signed by `<issuer>.crt` or else self-signed. */
async function writeCertificate(
  dir: string,
  name: string,
  subject: string,
  extensions: readonly string[],
  issuer?: string,
): Promise<void> {
  const signedBy =
    issuer === undefined
      ? []
      : ['-CA', join(dir, `${issuer}.crt`), '-CAkey', join(dir, `${issuer}.key`)];
  await openssl([
    'req',
    '-x509',
    ...['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-days', CERT_VALIDITY_DAYS, '-subj', subject],
    ...['-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`)],
    ...signedBy,
    ...extensions.flatMap((extension) => ['-addext', extension]),
  ]);
}

/** Writes a throw-away CA, a loopback serving certificate, service-account keys and a token file. */
export async function writeControlPlaneCredentials(dir: string): Promise<ControlPlaneCredentials> {
  await mkdir(dir, { recursive: true });
  const path = (name: string): string => join(dir, name);

  await writeCertificate(dir, 'ca', '/CN=skyscale-test-ca', [
    'basicConstraints=critical,CA:TRUE',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await writeCertificate(
    dir,
    'serving',
    '/CN=127.0.0.1',
    [
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'basicConstraints=critical,CA:FALSE',
      'extendedKeyUsage=serverAuth',
    ],
    'ca',
  );

  const serviceAccountKeys = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  await writeFile(path('service-account.pub'), serviceAccountKeys.publicKey);
  await writeFile(path('service-account.key'), serviceAccountKeys.privateKey, { mode: 0o600 });

  const adminToken = randomBytes(24).toString('hex');
  await writeFile(
    path('tokens.csv'),
    `${adminToken},${ADMIN_USER},${ADMIN_USER},"system:masters"\n`,
    {
      mode: 0o600,
    },
  );

  return {
    caCertPath: path('ca.crt'),
    caCertPem: await readFile(path('ca.crt'), 'utf8'),
    servingCertPath: path('serving.crt'),
    servingKeyPath: path('serving.key'),
    serviceAccountPublicKeyPath: path('service-account.pub'),
    serviceAccountPrivateKeyPath: path('service-account.key'),
    tokenAuthFilePath: path('tokens.csv'),
    adminToken,
  };
}
