/** Where the AWS adapter reports what it decided; Powertools' Logger satisfies it. */
export interface ProviderLogger {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
}
