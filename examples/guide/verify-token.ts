/**
 * Guide §2.1–2.3: authenticate a bearer token in an API server, and answer
 * failures with the right HTTP status.
 */
import { EksAuthError, verifyToken } from 'eks-iam-auth';
import type { VerifiedIdentity } from 'eks-iam-auth';

/** The outcome an HTTP handler needs. */
export type AuthOutcome =
  { ok: true; identity: VerifiedIdentity } | { ok: false; status: number; code: string };

export async function authenticate(authorization: string | undefined): Promise<AuthOutcome> {
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
  if (bearer === undefined) return { ok: false, status: 401, code: 'NO_TOKEN' };
  try {
    const identity = await verifyToken(bearer, {
      clusterId: 'demo', // the cluster name your clients sign for
      partition: 'aws', // which STS hosts and ARNs you trust
      region: 'us-west-2', // your own region: accepted even if newer than the library
      clockTolerance: 300, // seconds a signer's clock may run ahead
      timeout: 5_000, // whole STS exchange, retries included
      retries: 2, // network errors and 5xx only
    });
    return { ok: true, identity };
  } catch (error) {
    if (error instanceof EksAuthError) {
      // 401 for bad tokens, 429 when STS throttles, 503 when STS is down or
      // answers nonsense. Log the code and message: they never hold a secret.
      console.warn(`authentication failed: ${error.code}: ${error.message}`);
      return { ok: false, status: error.httpStatus, code: error.code };
    }
    throw error; // a TypeError here is a bug in the options above
  }
}
