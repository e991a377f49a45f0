/**
 * `aws eks get-token` as a kubectl exec credential plugin, in-process. An
 * example to copy, not part of the package.
 *
 * kubeconfig:
 *
 *   users:
 *     - name: my-cluster
 *       user:
 *         exec:
 *           apiVersion: client.authentication.k8s.io/v1beta1
 *           command: node
 *           args: [kubectl-exec-plugin.js, --cluster-name, my-cluster, --region, eu-west-1]
 *           interactiveMode: Never
 *
 * kubectl sets KUBERNETES_EXEC_INFO; formatExecCredential reads it to answer
 * in the apiVersion kubectl asked for. Credentials come from the usual places
 * (the AWS SDK default chain when @aws-sdk/credential-providers is installed,
 * else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN).
 */
import { parseArgs } from 'node:util';
import { formatExecCredential, generateToken, isEksAuthError } from 'eks-iam-auth';

const { values } = parseArgs({
  options: {
    'cluster-name': { type: 'string' },
    region: { type: 'string' },
  },
});

const clusterId = values['cluster-name'];
if (clusterId === undefined) {
  process.stderr.write('usage: kubectl-exec-plugin --cluster-name <name> [--region <region>]\n');
  process.exit(2);
}

try {
  const generated = await generateToken({
    clusterId,
    ...(values.region === undefined ? {} : { region: values.region }),
  });
  const credential = formatExecCredential(generated, {
    // stdout is read by kubectl and must hold only the ExecCredential JSON.
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  });
  process.stdout.write(`${JSON.stringify(credential)}\n`);
} catch (error) {
  // e.g. ERR_CREDENTIALS_MISSING: its message names both ways to fix it.
  process.stderr.write(
    `${isEksAuthError(error) ? `${error.code}: ${error.message}` : String(error)}\n`,
  );
  process.exitCode = 1;
}
