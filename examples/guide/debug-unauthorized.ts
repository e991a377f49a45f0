/**
 * Guide §3.5: "error: You must be logged in to the server (Unauthorized)".
 * Walk the chain the API server walks, offline, and say where it breaks.
 */
import {
  canonicalizeArn,
  isEksAuthError,
  mapIdentity,
  parseAwsAuth,
  parseToken,
} from 'eks-iam-auth';

export interface Suspect {
  /** The token kubectl sends: `aws eks get-token --cluster-name … | jq -r .status.token`. */
  token: string;
  /** Who signed it: `aws sts get-caller-identity --query Arn --output text`. */
  callerArn: string;
  /** `kubectl -n kube-system get configmap aws-auth -o yaml`, as text. */
  awsAuthYaml: string;
  now?: Date;
}

export async function explainUnauthorized(suspect: Suspect): Promise<string[]> {
  const findings: string[] = [];
  const now = suspect.now ?? new Date();

  // 1. The token itself: shape, age, endpoint.
  try {
    const parsed = parseToken(suspect.token);
    if (now > parsed.expiresAt)
      findings.push(`the token expired at ${parsed.expiresAt.toISOString()}`);
    if (parsed.signedAt.getTime() > now.getTime() + 300_000) {
      findings.push('the token is dated in the future: check the client clock');
    }
    findings.push(`signed with access key ${parsed.accessKeyId} for ${parsed.host}`);
  } catch (error) {
    if (!isEksAuthError(error)) throw error;
    findings.push(`the token is malformed (${error.code}): ${error.message}`);
  }

  // 2. The ConfigMap: a misspelt key or a missing "|" silently drops entries.
  const awsAuth = parseAwsAuth(suspect.awsAuthYaml);
  for (const d of awsAuth.diagnostics) {
    findings.push(`aws-auth ${d.severity} at line ${d.line ?? '?'} (${d.key}): ${d.message}`);
  }

  // 3. The mapping the authenticator would look up.
  const { canonicalArn } = canonicalizeArn(suspect.callerArn);
  const mapping = await mapIdentity(awsAuth, suspect.callerArn).catch((error: unknown) => {
    if (!isEksAuthError(error)) throw error;
    findings.push(`the matching entry cannot be rendered (${error.code}): ${error.message}`);
    return undefined;
  });
  if (mapping === null) {
    const withPaths = await mapIdentity(awsAuth, suspect.callerArn, { stripRolePaths: true });
    findings.push(
      withPaths !== null
        ? `${canonicalArn} only matches a rolearn written with a path; EKS ignores those: drop the path`
        : `${canonicalArn} matches no entry: add it to mapUsers or mapRoles` +
            ' (the cluster creator is authorized by EKS itself and never appears in aws-auth)',
    );
  } else if (mapping) {
    findings.push(`${canonicalArn} maps to ${mapping.username} in [${mapping.groups.join(', ')}]`);
  }
  // A token signed for another cluster name fails only at STS
  // (ERR_STS_REJECTED, SignatureDoesNotMatch): the name is a signed header, not in the token.
  return findings;
}
