/**
 * Guide, Runtimes: a Cloudflare Worker that authenticates EKS bearer tokens
 * and maps them through an aws-auth ConfigMap kept in a variable.
 *
 *   npm install eks-iam-auth
 *   npx wrangler deploy          # wrangler.toml: main = "worker.ts"
 *
 * Default bundling works: no alias, no `external`, no `nodejs_compat` (the
 * token is checked with WebCrypto when `node:crypto` is missing). A Worker
 * has no process environment and no AWS SDK credential chain, so everything
 * comes from `env` and the options.
 */
import {
  HTTP_STATUS_BY_CODE,
  isEksAuthError,
  mapIdentity,
  parseAwsAuth,
  verifyToken,
} from 'eks-iam-auth';
import type { AwsAuth } from 'eks-iam-auth';

/** The Worker's variables (wrangler.toml `[vars]`). */
interface Env {
  CLUSTER_ID: string;
  AWS_REGION: string;
  AWS_AUTH_YAML: string;
}

// Parsed once per isolate, not per request.
let awsAuth: AwsAuth | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const token = request.headers.get('authorization')?.replace(/^Bearer /i, '') ?? '';
    try {
      const identity = await verifyToken(token, {
        clusterId: env.CLUSTER_ID,
        region: env.AWS_REGION,
      });
      awsAuth ??= parseAwsAuth(env.AWS_AUTH_YAML);
      const mapping = await mapIdentity(awsAuth, identity);
      if (mapping === null) return Response.json({ error: 'not mapped' }, { status: 403 });
      return Response.json({ username: mapping.username, groups: mapping.groups });
    } catch (error) {
      if (!isEksAuthError(error)) throw error;
      // The code says enough; the message stays in the Worker's logs.
      return Response.json({ error: error.code }, { status: HTTP_STATUS_BY_CODE[error.code] });
    }
  },
};
