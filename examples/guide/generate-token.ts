/**
 * Guide §1.1: sign a token, the way `aws eks get-token` does.
 */
import { generateToken } from 'eks-iam-auth';

const generated = await generateToken({ clusterId: 'demo', region: 'us-west-2' });

// The bearer token for the Kubernetes API server: valid for 15 minutes after
// signing; `expiresAt` is one minute earlier, the time to fetch a new one.
const { token, host, expiresAt } = generated;
console.log(host); // sts.us-west-2.amazonaws.com
console.log(expiresAt.toISOString());

// Use it directly, e.g. with fetch against the cluster endpoint.
export const headers = { authorization: `Bearer ${token}` };
