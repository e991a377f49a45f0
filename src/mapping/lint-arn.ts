/**
 * Every reason a `rolearn` / `userarn` can never match, at once.
 *
 * EKS keeps any non-empty ARN string (pkg/config/mapper.go:37, 116) and
 * compares it with the caller's canonical ARN, ignoring case
 * (mapper.go:75, 125). The caller's canonical ARN is always
 * `arn:<p>:iam::<acct>:role/<name>` (no path) for a role session, the user's
 * IAM ARN for a user, or `…:root` (pkg/arn/arn.go:38-80). So an entry that
 * cannot be written in one of those forms is kept by EKS but never matches;
 * this says why, all problems together, with the ARN to write instead.
 *
 * @module
 */
import { quoteForMessage } from '../util/control-characters.js';
import { isPartitionId } from '../partitions.js';
import type { AwsAuthDiagnosticCode, AwsAuthKey } from './types.js';

/** One problem of an ARN. */
export interface ArnProblem {
  /** Diagnostic code. */
  readonly code: AwsAuthDiagnosticCode;
  /** `error`: the entry never matches; `warning`: it matches but is misplaced. */
  readonly severity: 'error' | 'warning';
  /** What is wrong. */
  readonly message: string;
  /** What to write instead. */
  readonly fix?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

function problem(
  code: AwsAuthDiagnosticCode,
  message: string,
  fix?: string,
  severity: 'error' | 'warning' = 'error',
): ArnProblem {
  return { code, severity, message, ...(fix === undefined ? {} : { fix }) };
}

/** The problems of one entry ARN (`field` is `rolearn` or `userarn`); empty when it can match. */
export function lintArn(written: string, key: AwsAuthKey, field: string): ArnProblem[] {
  const problems: ArnProblem[] = [];
  const arn = written.trim();
  if (arn !== written) {
    problems.push(
      problem(
        'whitespace',
        `${field} has leading or trailing spaces; EKS compares the text exactly, so it never matches`,
        arn,
      ),
    );
  }
  if (/[*?]/.test(arn)) {
    problems.push(
      problem(
        'wildcard',
        `${field} contains "*" or "?": aws-auth has no wildcards, EKS compares the text literally, so it never matches`,
        'list each role or user ARN in full (or use mapAccounts for a whole account)',
      ),
    );
  }
  // EKS compares ignoring case, so the structure is checked on the lower-cased text.
  const parts = arn.toLowerCase().split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    problems.push(
      problem(
        'arn-invalid',
        `${field} is not an ARN ("arn:<partition>:iam::<account>:role/<name>"), so it never matches`,
      ),
    );
    return problems;
  }
  const [, partition = '', service = '', region = '', account = ''] = parts;
  const resource = arn.split(':').slice(5).join(':');
  const segments = resource.split('/');
  const kind = (segments[0] as string).toLowerCase();
  const name = segments[segments.length - 1] as string;
  const writtenPartition = arn.split(':')[1] as string;
  const accountShown = ACCOUNT_ID.test(account) ? account : '<account>';
  const partitionShown = isPartitionId(partition) ? writtenPartition : 'aws';
  const roleArn = `arn:${partitionShown}:iam::${accountShown}:role/${name}`;

  if (!isPartitionId(partition)) {
    problems.push(
      problem(
        'arn-invalid',
        `unknown partition ${quoteForMessage(writtenPartition.slice(0, 32))} (aws, aws-cn, aws-us-gov, …), so it never matches`,
      ),
    );
  }
  if (region !== '') {
    problems.push(
      problem(
        'arn-invalid',
        `IAM ARNs have no region ("arn:aws:iam::<account>:…"), found ${quoteForMessage(region.slice(0, 32))}, so it never matches`,
      ),
    );
  }
  if (!ACCOUNT_ID.test(account)) {
    problems.push(
      problem(
        'arn-invalid',
        `the account must be 12 digits, found ${quoteForMessage(account.slice(0, 32))}, so it never matches`,
      ),
    );
  }
  if (service === 'sts') {
    if (kind === 'assumed-role' && segments.length >= 3) {
      const role = segments.slice(1, -1).join('/');
      problems.push(
        problem(
          'arn-assumed-role',
          `an STS assumed-role (session) ARN never matches${key === 'mapUsers' ? ' in mapUsers or mapRoles' : ''}: EKS matches the role, never a session`,
          `in mapRoles: rolearn: arn:${partitionShown}:iam::${accountShown}:role/${role}`,
        ),
      );
    } else if (kind === 'role') {
      problems.push(
        problem(
          'arn-sts-role',
          'a role ARN is written with service "iam", not "sts", so this never matches',
          roleArn,
        ),
      );
    } else if (kind !== 'federated-user') {
      problems.push(
        problem(
          'arn-invalid',
          `"sts:${kind.slice(0, 32)}" is not an identity EKS sees, so it never matches`,
        ),
      );
    }
    return problems;
  }
  if (service !== 'iam') {
    problems.push(
      problem(
        'arn-invalid',
        `service ${quoteForMessage(service.slice(0, 32))} is not IAM, so it never matches`,
        roleArn,
      ),
    );
    return problems;
  }
  if (kind === 'group') {
    problems.push(
      problem(
        'arn-iam-group',
        'IAM groups cannot be mapped: EKS sees the user who signed the token, never their groups',
        'map each user in mapUsers, or let the group assume a role and map that role in mapRoles',
      ),
    );
  } else if (kind === 'instance-profile') {
    problems.push(
      problem(
        'arn-invalid',
        'an instance profile ARN never matches: nodes authenticate as the role in the profile',
        `arn:${partitionShown}:iam::${accountShown}:role/<the role in the instance profile>`,
      ),
    );
  } else if (kind === 'role') {
    if (segments.length > 2) {
      // STS reports an assumed role without its path (pkg/arn/arn.go:56-62).
      problems.push(
        problem(
          'arn-path',
          'the role ARN has a path (role/<path>/<name>); EKS matches roles without their path, so this entry never matches',
          roleArn,
        ),
      );
    }
    if (key === 'mapUsers') {
      problems.push(
        problem(
          'arn-wrong-list',
          'a role ARN in mapUsers: EKS matches it, but it belongs in mapRoles',
          'move the entry to mapRoles as rolearn',
          'warning',
        ),
      );
    }
  } else if (kind === 'user') {
    if (key === 'mapRoles') {
      problems.push(
        problem(
          'arn-wrong-list',
          'a user ARN in mapRoles: EKS matches it, but it belongs in mapUsers',
          'move the entry to mapUsers as userarn',
          'warning',
        ),
      );
    }
  } else if (!(kind === 'root' && segments.length === 1)) {
    problems.push(
      problem(
        'arn-invalid',
        `${quoteForMessage(kind.slice(0, 32))} is not a role or user, so it never matches`,
      ),
    );
  }
  if (segments.length > 1 && segments.slice(1).some((s) => s === '')) {
    problems.push(problem('arn-invalid', 'the ARN has an empty name or path segment'));
  }
  return problems;
}
