/**
 * Values EKS accepts and takes literally, but that are certainly mistakes:
 * `<system:nodes>` copied with a doc's angle brackets, `{EC2PrivateDNSName}}`
 * one brace short, `system:master`, a mis-indented list folded into one group
 * (`"system:bootstrappers - system:nodes"`), stray spaces, a `*`.
 *
 * EKS substitutes exactly `{{EC2PrivateDNSName}}`, `{{AccountID}}`,
 * `{{SessionName}}`, `{{SessionNameRaw}}`, `{{AccessKeyID}}`
 * (pkg/server/server.go:531-546) and copies everything else as is; Kubernetes
 * compares user and group names exactly.
 *
 * @module
 */
import {
  codePointName,
  findControlCharacter,
  jsonQuoted,
  quoteForMessage,
} from '../util/control-characters.js';
import { hasDynamicReference } from '../util/dynamic-reference.js';
import { nearest } from './edit-distance.js';
import { PLACEHOLDER_NAMES, scanPlaceholders } from './template.js';
import type { AwsAuthDiagnosticCode, AwsAuthKey } from './types.js';

/** One problem of a username or group. */
export interface ValueProblem {
  /** Diagnostic code. */
  readonly code: AwsAuthDiagnosticCode;
  /** Severity. */
  readonly severity: 'error' | 'warning';
  /** What is wrong (quotes the value). */
  readonly message: string;
  /** What to write instead. */
  readonly fix?: string;
}

/** Groups Kubernetes and EKS give a meaning to. */
const WELL_KNOWN_GROUPS = [
  'system:masters',
  'system:nodes',
  'system:bootstrappers',
  'system:node-proxier',
  'system:authenticated',
  'system:serviceaccounts',
];

const KNOWN_BY_LOWER = new Map(PLACEHOLDER_NAMES.map((n) => [n.toLowerCase(), n]));
const SESSION_PLACEHOLDERS = new Set(['SessionName', 'SessionNameRaw', 'EC2PrivateDNSName']);

/** A value as it can be pasted after `username: ` or `- `: quoted when YAML would misread it. */
export function yamlValue(value: string): string {
  return /^[\s{[*&!|>'"%@`#,?:-]|: | #|:$|\s$/.test(value) ||
    findControlCharacter(value) !== undefined
    ? jsonQuoted(value)
    : value;
}

const quote = quoteForMessage;

/**
 * Characters and text that are never part of a real name, whatever EKS does
 * with them: control and bidi characters (a reviewer cannot see them, a
 * shell argument cannot carry NUL, YAML 1.1 folds NEL into a space) and
 * CloudFormation dynamic references (`{{resolve:…}}`, which a template
 * made from this value would replace with a secret at deploy time).
 */
function unsafeTextProblems(value: string): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const control = findControlCharacter(value);
  if (control !== undefined) {
    problems.push({
      code: 'control-character',
      severity: 'error',
      message: `${quote(value)} contains the control character ${codePointName(control)}: EKS compares it literally, but no one reviewing the file sees it, and tools that copy the value (a shell, YAML 1.1) change or cut it`,
      fix: 'retype the value with visible characters only',
    });
  }
  if (hasDynamicReference(value)) {
    problems.push({
      code: 'dynamic-reference',
      severity: 'error',
      message: `${quote(value)} contains a CloudFormation dynamic reference ("{{resolve:"): EKS takes it literally, and a CloudFormation template carrying it would put a secret from SSM or Secrets Manager in its place`,
      fix: 'remove the {{resolve:…}} text',
    });
  }
  return problems;
}

/** Braces left once every `{{Name}}` is taken out: a placeholder with one brace too few or many. */
function braceProblem(value: string): ValueProblem | undefined {
  const rest = value.replace(/\{\{[^{}]*\}\}/g, '');
  if (!/[{}]/.test(rest)) return undefined;
  // Bounded brace runs: linear (test/security/regex-safety.test.ts).
  const repaired = value.replace(/\{{1,8}\s*(\w+)\s*\}{1,8}/g, (raw, name: string) => {
    const known = KNOWN_BY_LOWER.get(name.toLowerCase());
    return known === undefined ? raw : `{{${known}}}`;
  });
  return {
    code: 'unbalanced-braces',
    severity: 'error',
    message: `${quote(value)} has unbalanced or single braces; EKS substitutes only {{Name}} with two braces on each side and keeps this text literally`,
    ...(repaired === value ? {} : { fix: yamlValue(repaired) }),
  };
}

/** `<…>` around a value or a name in it, as documentation marks placeholders. */
function angleProblem(value: string): ValueProblem | undefined {
  const rest = value.replace(/<<[^<>]*>>/g, '');
  if (!/[<>]/.test(rest)) return undefined;
  // Keep <<Name>> placeholders, drop every other angle bracket.
  const fix = value
    .split(/(<<[^<>]*>>)/)
    .map((part) => (/^<<[^<>]*>>$/.test(part) ? part : part.replace(/[<>]/g, '')))
    .join('');
  return {
    code: 'angle-brackets',
    severity: 'error',
    message: `${quote(value)} keeps its "<…>": angle brackets mark a value to fill in in documentation, EKS takes them literally`,
    ...(fix === value || fix === '' ? {} : { fix: yamlValue(fix) }),
  };
}

function placeholderProblems(value: string, key: AwsAuthKey): ValueProblem[] {
  const problems: ValueProblem[] = [];
  for (const use of scanPlaceholders(value)) {
    // `{{resolve:…}}` has its own error (dynamic-reference).
    if (!use.known && !hasDynamicReference(use.raw)) {
      const near = KNOWN_BY_LOWER.get(use.name.trim().toLowerCase());
      problems.push({
        code: 'placeholder-unknown',
        severity: 'warning',
        message: `unknown placeholder ${use.raw} stays literal${near === undefined ? '' : ` (did you mean {{${near}}}?)`}`,
        ...(near === undefined ? {} : { fix: yamlValue(value.replace(use.raw, `{{${near}}}`)) }),
      });
    } else if (use.spelling === 'angles') {
      problems.push({
        code: 'placeholder-angles',
        severity: 'warning',
        message: `EKS reads only {{${use.name}}} and keeps ${use.raw} literally, as resolveIdentity, explainIdentity and reviewToken do; only mapIdentity substitutes it (angleBracketTemplates)`,
        fix: yamlValue(value.replace(use.raw, `{{${use.name}}}`)),
      });
    }
    if (use.known && key === 'mapUsers' && SESSION_PLACEHOLDERS.has(use.name)) {
      problems.push({
        code: 'placeholder-needs-session',
        severity: 'warning',
        message: `${use.raw} needs a role session; IAM users have none, so it renders empty (or, for {{EC2PrivateDNSName}}, fails)`,
      });
    }
  }
  return problems;
}

/** Problems of a username (`field` = `username`) or one group (`field` = `groups`). */
export function lintValue(
  value: string,
  field: 'username' | 'groups',
  key: AwsAuthKey,
): ValueProblem[] {
  const problems: ValueProblem[] = unsafeTextProblems(value);
  if (value.trim() !== value) {
    problems.push({
      code: 'whitespace',
      severity: 'error',
      message: `${quote(value)} has leading or trailing spaces; Kubernetes compares names exactly`,
      ...(value.trim() === '' ? {} : { fix: yamlValue(value.trim()) }),
    });
  }
  const v = value.trim();
  if (field === 'groups' && /\s-\s/.test(v)) {
    problems.push({
      code: 'folded-list',
      severity: 'error',
      message: `${quote(value)} is one group: a " - " inside it means a list item was indented differently from the one above and YAML folded it into this one`,
      fix: `one "- " line per group, all at the same indentation: ${v
        .split(/\s-\s/)
        .map((g) => `- ${g.trim()}`)
        .join(', ')}`,
    });
  }
  const angles = angleProblem(v);
  if (angles !== undefined) problems.push(angles);
  const braces = braceProblem(v);
  if (braces !== undefined) problems.push(braces);
  if (v.includes('*')) {
    problems.push({
      code: 'wildcard',
      severity: 'error',
      message: `${quote(value)} contains "*": there are no wildcards in aws-auth, it is a literal character`,
      fix: `write the exact ${field === 'groups' ? 'group' : 'user'} name`,
    });
  }
  if (field === 'groups' && v !== '' && angles === undefined) {
    const bare = v.replace(/[<>]/g, '');
    const lower = bare.toLowerCase();
    const meant = WELL_KNOWN_GROUPS.includes(lower)
      ? lower
      : lower.startsWith('system:')
        ? nearest(lower, WELL_KNOWN_GROUPS, 2)
        : undefined;
    if (meant !== undefined && meant !== v) {
      problems.push({
        code: 'group-near-miss',
        severity: 'error',
        message: `group ${quote(value)} is not "${meant}": Kubernetes group names are exact, so this one grants nothing`,
        fix: meant,
      });
    }
  }
  if (field === 'groups' && value === '') {
    problems.push({
      code: 'empty-group',
      severity: 'warning',
      message: 'an empty group name: it grants nothing',
      fix: 'remove the empty item',
    });
  }
  if (field === 'username' && /^system:nodes?:?$/i.test(v)) {
    problems.push({
      code: 'placeholder-unknown',
      severity: 'error',
      message: `username ${quote(value)} has lost its {{EC2PrivateDNSName}}: every node would share one name, and the node authorizer refuses it`,
      fix: yamlValue('system:node:{{EC2PrivateDNSName}}'),
    });
  } else if (field === 'username' && /^system:nodes:/i.test(v)) {
    problems.push({
      code: 'group-near-miss',
      severity: 'error',
      message: `node usernames start with "system:node:" (singular), not ${quote(v.slice(0, 13))}`,
      fix: v.replace(/^system:nodes:/i, 'system:node:'),
    });
  }
  problems.push(...placeholderProblems(v, key));
  return problems;
}
