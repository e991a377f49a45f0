/**
 * Guide §3.1: lint an aws-auth ConfigMap before applying it. parseAwsAuth
 * never throws for bad entries: it keeps the valid ones and reports the rest.
 */
import { readFileSync } from 'node:fs';
import { parseAwsAuth } from 'eks-iam-auth';

const file = process.argv[2] ?? 'aws-auth.yaml';
const awsAuth = parseAwsAuth(readFileSync(file, 'utf8'));

for (const d of awsAuth.diagnostics) {
  const where = [
    d.key,
    d.index === undefined ? '' : `[${d.index}]`,
    d.field ? `.${d.field}` : '',
  ].join('');
  console.log(`${file}:${d.line ?? 0}: ${d.severity}: ${where}: ${d.message}`);
}
console.log(
  `${awsAuth.mapRoles.length} role, ${awsAuth.mapUsers.length} user and ${awsAuth.mapAccounts.length} account mappings`,
);
process.exitCode = awsAuth.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
