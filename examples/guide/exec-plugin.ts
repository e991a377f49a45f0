/**
 * Guide §1.2: a complete kubectl exec credential plugin. kubeconfig:
 *
 *   users:
 *     - name: demo
 *       user:
 *         exec:
 *           apiVersion: client.authentication.k8s.io/v1beta1
 *           command: node
 *           args: [exec-plugin.js, demo, us-west-2]
 *           interactiveMode: Never
 */
import { formatExecCredential, generateToken, isEksAuthError } from 'eks-iam-auth';

const [clusterId = '', region] = process.argv.slice(2);

try {
  const generated = await generateToken({ clusterId, region });
  const credential = formatExecCredential(generated, {
    // kubectl shows a plugin's stderr to the user; stdout must stay pure JSON.
    onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
  });
  process.stdout.write(JSON.stringify(credential) + '\n');
} catch (error) {
  // CredentialsError (ERR_CREDENTIALS_MISSING) says which two fixes exist.
  process.stderr.write(`${isEksAuthError(error) ? error.code : 'error'}: ${String(error)}\n`);
  process.exitCode = 1;
}
