/**
 * The request part of the `can-i` and `who-can` command lines: `VERB
 * RESOURCE[/SUBRESOURCE] [NAME]` or `VERB /PATH`, with `-n`, `-A`,
 * `--subresource`, and the output `--format`.
 *
 * @module
 */
import { kubectlRequest } from '../authz/request.js';
import type { EvaluatedRequest } from '../authz/types.js';
import { UsageError, oneOf } from './args.js';

/** The `parseArgs` options of the request and the output format. */
export const REQUEST_OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  subresource: { type: 'string' },
  format: { type: 'string' },
} as const;

/** The values `parseArgs` gives for {@link REQUEST_OPTIONS}. */
export interface RequestValues {
  namespace?: string | undefined;
  'all-namespaces'?: boolean | undefined;
  subresource?: string | undefined;
  format?: string | undefined;
}

/**
 * `--format`: `text` (default) or `json`.
 *
 * @throws {@link UsageError} for any other.
 */
export function outputFormat(values: RequestValues, usage: string): 'text' | 'json' {
  return oneOf(values.format ?? 'text', ['text', 'json'] as const, '--format', usage);
}

/**
 * The request the positionals and flags ask about.
 *
 * @throws {@link UsageError} when VERB or RESOURCE is missing or a word is left over;
 *   `TypeError` (a usage error too) for flags that contradict each other.
 */
export function requestFromArgs(
  positionals: readonly string[],
  values: RequestValues,
  usage: string,
): EvaluatedRequest {
  const [verb, target, name, ...rest] = positionals;
  if (verb === undefined || target === undefined) {
    throw new UsageError('give VERB and RESOURCE (or /PATH)', usage);
  }
  if (rest.length > 0) throw new UsageError(`unexpected "${rest.join(' ')}" after NAME`, usage);
  return kubectlRequest({
    verb,
    target,
    name,
    namespace: values.namespace,
    allNamespaces: values['all-namespaces'] === true,
    subresource: values.subresource,
  });
}
