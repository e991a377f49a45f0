/**
 * Guide, Runtimes: Deno 2, with no permission flags at all.
 *
 *   deno add npm:eks-iam-auth
 *   deno run deno.ts
 *
 * Without --allow-env Deno refuses every environment read. eks-iam-auth asks
 * Deno once (it never triggers a permission prompt) and treats refused
 * variables as unset, so here every setting comes from the options. Granting
 * `--allow-env=AWS_REGION,AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,AWS_SESSION_TOKEN`
 * brings back the Node defaults for those variables; verifying a token needs
 * `--allow-net=sts.<region>.amazonaws.com`.
 */
import { formatExecCredential, generateToken, parseToken } from 'eks-iam-auth';

const generated = await generateToken({
  clusterId: 'demo',
  region: 'eu-west-1',
  // Credentials from wherever the program keeps them (a secret store, a broker).
  credentials: {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  },
});
console.log(parseToken(generated.token).host); // sts.eu-west-1.amazonaws.com
// execInfo given: KUBERNETES_EXEC_INFO is not even looked up.
const execInfo = '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}';
console.log(JSON.stringify(formatExecCredential(generated, { execInfo })));
