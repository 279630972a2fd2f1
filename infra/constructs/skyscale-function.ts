import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** How a function logs; every Skyscale function takes these. */
export interface FunctionLoggingProps {
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default ApplicationLogLevel.INFO */
  readonly logLevel?: ApplicationLogLevel;
}

export interface SkyscaleFunctionProps extends FunctionLoggingProps {
  /** The handler file under `functions/`, e.g. `pod-pending/handler.ts`; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default no reservation */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * How every function is bundled (esbuild, as NodejsFunction runs it). The AWS SDK v3 is bundled:
 * tree-shaken ESM loads in a third of the time the runtime's own copy takes (which includes every
 * EC2 command). Left out are the credential sources the SDK imports only when the environment has
 * no credentials, which a Lambda function's always has; the runtime's SDK still provides them.
 * `bench:cold-start` bundles the same way.
 */
export const FUNCTION_BUNDLING = {
  format: 'esm',
  minify: true,
  target: 'node22',
  mainFields: ['module', 'main'],
  // ESM bundles still load CommonJS dependencies that call `require`; esbuild needs it defined.
  banner:
    "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  external: [
    '@aws-sdk/credential-provider-http',
    '@aws-sdk/credential-provider-ini',
    '@aws-sdk/credential-provider-login',
    '@aws-sdk/credential-provider-process',
    '@aws-sdk/credential-provider-sso',
    '@aws-sdk/credential-provider-web-identity',
    '@smithy/credential-provider-imds',
  ],
} as const;

/** Powertools' name for Lambda's most severe level. */
const POWERTOOLS_LOG_LEVEL: Readonly<Record<ApplicationLogLevel, string>> = {
  [ApplicationLogLevel.TRACE]: 'TRACE',
  [ApplicationLogLevel.DEBUG]: 'DEBUG',
  [ApplicationLogLevel.INFO]: 'INFO',
  [ApplicationLogLevel.WARN]: 'WARN',
  [ApplicationLogLevel.ERROR]: 'ERROR',
  [ApplicationLogLevel.FATAL]: 'CRITICAL',
};

/**
 * The package's root: the nearest directory above this file with a package.json (two levels up
 * in the sources, four in the compiled dist/cdk/).
 */
function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory)
      throw new Error(`Skyscale: no package.json above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
  return directory;
}

/** The functions' sources, found from this file so that an app importing the package bundles them too. */
const FUNCTIONS_DIRECTORY = join(packageRoot(), 'functions');

/**
 * A Skyscale Lambda function with the house defaults: Node.js 22 on arm64, bundled by the local
 * esbuild as minified ESM with source maps, its own role (no managed policies) and its own log
 * group with a retention.
 */
export class SkyscaleFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: SkyscaleFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(FUNCTIONS_DIRECTORY, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        ...props.environment,
        POWERTOOLS_LOG_LEVEL: POWERTOOLS_LOG_LEVEL[props.logLevel ?? ApplicationLogLevel.INFO],
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: true,
        target: FUNCTION_BUNDLING.target,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        banner: FUNCTION_BUNDLING.banner,
        externalModules: [...FUNCTION_BUNDLING.external],
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to Node.js 22, the version the project is built and tested with (package.json engines); moving runtimes is a deliberate change.',
    });
  }
}
