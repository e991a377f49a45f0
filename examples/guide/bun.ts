/**
 * Guide, Runtimes: Bun 1. Bun has Node's environment and `node:crypto`, so
 * everything works as on Node: the AWS_* variables, and the AWS SDK default
 * chain when `@aws-sdk/credential-providers` is installed.
 *
 *   bun add eks-iam-auth
 *   AWS_REGION=us-west-2 AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… bun bun.ts demo
 */
import { formatExecCredential, generateToken } from 'eks-iam-auth';

const clusterId = process.argv[2] ?? 'demo';
const generated = await generateToken({ clusterId });
const credential = formatExecCredential(generated, {
  onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
});
process.stdout.write(`${JSON.stringify(credential)}\n`);
