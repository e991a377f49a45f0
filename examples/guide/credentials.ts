/**
 * Guide §1.3: where the signing credentials come from.
 */
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { CredentialsError, generateToken } from 'eks-iam-auth';
import type { AwsCredentials, AwsCredentialsProvider } from 'eks-iam-auth';

// 1. Nothing: the AWS SDK default chain when @aws-sdk/credential-providers is
//    installed (env, SSO, shared files, web identity, ECS, EC2), else the
//    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN variables.
await generateToken({ clusterId: 'demo' });

// 2. A named profile (what `aws --profile ops eks get-token` uses).
const ops: AwsCredentialsProvider = fromIni({ profile: 'ops' });
await generateToken({ clusterId: 'demo', credentials: ops });

// 3. Assume a role first (`aws eks get-token --role-arn …`). Create the
//    provider once: it caches the role's credentials and refreshes them.
const admin: AwsCredentialsProvider = fromTemporaryCredentials({
  params: { RoleArn: 'arn:aws:iam::123456789012:role/EksAdmin', RoleSessionName: 'alice' },
});
await generateToken({ clusterId: 'demo', credentials: admin });

// 4. Credentials you already hold (from a vault, a broker, a test).
const fixed: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
await generateToken({ clusterId: 'demo', credentials: fixed });

// No credentials anywhere, or expired ones, is a typed error.
try {
  await generateToken({
    clusterId: 'demo',
    credentials: async () => Promise.reject(new Error('no SSO session')),
  });
} catch (error) {
  if (!(error instanceof CredentialsError)) throw error;
  console.error(error.code, error.message); // ERR_CREDENTIALS_MISSING …
}
