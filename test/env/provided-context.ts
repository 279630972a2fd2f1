/** What the vitest globalSetup hands to integration tests through `provide`/`inject`. */
export interface ProvidedTestEnvironment {
  readonly kubeConfigYaml: string;
  readonly kubeConfigPath: string;
  readonly awsEndpoint: string;
}

export const TEST_ENVIRONMENT_KEY = 'skyscaleTestEnvironment';

declare module 'vitest' {
  export interface ProvidedContext {
    [TEST_ENVIRONMENT_KEY]: ProvidedTestEnvironment;
  }
}
