/**
 * Asking sources in order, as the Go authenticator's server asks its
 * mappers (kubernetes-sigs/aws-iam-authenticator pkg/server/server.go:476-505
 * at commit 81b1dab): the first source that maps the caller answers; its
 * templates are rendered, and a rendering error is the answer too, never a
 * fall-through; a rendered username with a prefix reserved for that source
 * is refused.
 *
 * @module
 */
import { AwsAuthError } from '../errors.js';
import type { Caller } from '../mapping/caller.js';
import type { IdentitySource, SourceMatch } from '../mapping/source.js';
import { needsPrivateDnsName, privateDnsName, renderTemplates } from '../mapping/template.js';
import type { TemplateContext } from '../mapping/template.js';
import type { BackendMode } from '../sources/types.js';
import { quoteForMessage } from '../util/control-characters.js';
import type { Question } from './question.js';

/** A source in the order the cluster asks it, and how its answers are named. */
export interface AskedSource<M extends SourceMatch = SourceMatch> {
  /** The source. */
  readonly source: IdentitySource<M>;
  /** `accessEntry` or `aws-auth` (the Go authenticator's sources count as aws-auth). */
  readonly kind: 'accessEntry' | 'aws-auth';
  /** For the Go authenticator's ordered sources: the backend. */
  readonly backend?: BackendMode;
  /** For the Go authenticator's ordered sources: its position in the list. */
  readonly sourceIndex?: number;
}

/** The answer of the first source that maps the caller. */
export interface Answer<M extends SourceMatch = SourceMatch> {
  /** The source that answered. */
  readonly asked: AskedSource<M>;
  /** The entry it found. */
  readonly match: M;
  /** The rendered username. */
  readonly username: string;
  /** The rendered groups. */
  readonly groups: string[];
}

/** Refuse a rendered username that begins with a prefix reserved for its source. */
function checkReserved(asked: AskedSource, username: string): void {
  const prefixes = asked.source.reservedUsernamePrefixes;
  if (prefixes === undefined || prefixes.length === 0) return;
  const prefix = prefixes.find((p) => p !== '' && username.startsWith(p));
  if (prefix === undefined) return;
  const name = asked.backend ?? asked.kind;
  throw new AwsAuthError(
    `the ${name} mapping gives username ${quoteForMessage(username)}, which begins with ${quoteForMessage(prefix)}, a prefix reserved for ${name}; refused`,
  );
}

/** A source's match, and the source that found it. */
interface Found<M extends SourceMatch = SourceMatch> {
  /** The source that matched. */
  readonly asked: AskedSource<M>;
  /** The entry it found. */
  readonly match: M;
}

/** The first of `sources` that maps the caller, and its match; `undefined` when none does. */
function firstMatch(
  sources: readonly AskedSource[],
  caller: Caller,
  question: Question,
): Found | undefined {
  for (const asked of sources) {
    const match = asked.source.lookup(caller, question);
    if (match !== undefined) return { asked, match };
  }
  return undefined;
}

function answer<M extends SourceMatch>(
  { asked, match }: Found<M>,
  context: TemplateContext,
  privateDns: string | undefined,
): Answer<M> {
  const { username, groups } = renderTemplates(match.username, match.groups, context, privateDns);
  checkReserved(asked, username);
  return { asked, match, username, groups };
}

/**
 * Render a match into the answer: synchronously, unless a template needs
 * `{{EC2PrivateDNSName}}` (an EC2 call). Lookups are the hot path of every
 * request a server authenticates, so no promise is made when none is needed.
 *
 * @throws (or rejects with) `TemplateError` when the entry cannot be
 *   rendered, `AwsAuthError` for a reserved username.
 */
function answerOf<M extends SourceMatch>(
  found: Found<M>,
  caller: Caller,
  question: Question,
): Answer<M> | Promise<Answer<M>> {
  const { asked, match } = found;
  // An account-list match is the caller's ARN itself: nothing to render or refuse.
  if (!match.templated) return { asked, match, username: match.username, groups: [] };
  const context: TemplateContext = {
    accountId: caller.accountId,
    sessionName: caller.sessionName,
    accessKeyId: caller.accessKeyId,
    resolveEC2PrivateDNSName: question.resolveEC2PrivateDNSName,
    angleBrackets: question.angleBrackets,
  };
  if (needsPrivateDnsName(match.username, match.groups, question.angleBrackets)) {
    return privateDnsName(context).then((dns) => answer(found, context, dns));
  }
  return answer(found, context, undefined);
}

/**
 * Ask `sources` in order; the first that maps the caller answers.
 *
 * @throws (or rejects with) what {@link answerOf} throws.
 */
export function firstAnswer(
  sources: readonly AskedSource[],
  caller: Caller,
  question: Question,
): Answer | null | Promise<Answer> {
  const found = firstMatch(sources, caller, question);
  return found === undefined ? null : answerOf(found, caller, question);
}
