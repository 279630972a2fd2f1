import {
  ManifestError,
  formatDocumentLocation,
  formatIssues,
  karpenterKindSchema,
  type IssueLike,
  type ManifestDocument,
} from '../../apis/index.ts';
import { readManifestFile } from '../manifest-file.ts';
import { type CliIo, type Command, UsageError } from '../command.ts';
import { parseCommandOptions } from '../command-options.ts';

function filesFrom(args: readonly string[]): string[] {
  const { values } = parseCommandOptions({
    args: [...args],
    options: { filename: { type: 'string', short: 'f', multiple: true } },
    strict: true,
  });
  if (!values.filename?.length) throw new UsageError('at least one -f FILE is required');
  return values.filename;
}

/** `kubectl apply` needs a name; the schemas allow generateName only because Skyscale creates NodeClaims that way. */
function missingNameIssues(document: ManifestDocument): IssueLike[] {
  if (document.name !== undefined) return [];
  return [{ path: ['metadata', 'name'], message: `a ${document.kind} needs a name` }];
}

/** Problems in one document, or undefined when its kind is not a Karpenter kind. */
function problemsIn(document: ManifestDocument): string[] | undefined {
  const schema = document.kind === undefined ? undefined : karpenterKindSchema(document.kind);
  if (!schema) return undefined;
  const result = schema.safeParse(document.object);
  const issues = [...missingNameIssues(document), ...(result.success ? [] : result.error.issues)];
  return formatIssues(document, issues);
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check NodePool, NodeClaim and EC2NodeClass manifests',
  usage: [
    'Usage: skyscale validate -f FILE [-f FILE...]',
    '',
    'Checks every NodePool, NodeClaim and EC2NodeClass in the files (multi-document YAML or JSON)',
    'against the Karpenter v1 schemas, and prints each valid object and each problem as',
    '  FILE (document N) KIND/NAME: valid',
    '  FILE (document N) KIND/NAME: field.path: message',
    'Other kinds are listed and skipped. Exits 1 when anything is invalid, else 0.',
  ].join('\n'),
  async run(args: readonly string[], io: CliIo): Promise<number> {
    let unreadable = false;
    let valid = 0;
    let invalid = 0;
    for (const file of filesFrom(args)) {
      let documents: ManifestDocument[];
      try {
        documents = await readManifestFile(file);
      } catch (error) {
        if (!(error instanceof ManifestError)) throw error;
        io.err(error.message);
        unreadable = true;
        continue;
      }
      for (const document of documents) {
        const problems = problemsIn(document);
        if (problems === undefined) {
          io.err(
            `${formatDocumentLocation(document)}: skipped: not a NodePool, NodeClaim or EC2NodeClass`,
          );
          continue;
        }
        if (problems.length === 0) {
          valid += 1;
          io.out(`${formatDocumentLocation(document)}: valid`);
          continue;
        }
        invalid += 1;
        for (const problem of problems) io.out(problem);
      }
    }
    const counts = `${valid} object(s) valid, ${invalid} invalid`;
    const failed = unreadable || invalid > 0;
    io.err(failed ? `validation failed: ${counts}` : counts);
    return failed ? 1 : 0;
  },
};
