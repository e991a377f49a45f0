/**
 * Guide §4.1: plan the move from aws-auth to access entries, prove it, print
 * it, and ask what the cluster answers under each authentication mode.
 */
import { readFileSync } from 'node:fs';
import {
  explainIdentity,
  parseAccessEntries,
  parseAwsAuth,
  planAccessEntryMigration,
  renderMigration,
  resolveIdentity,
} from 'eks-iam-auth';

const dir = new URL('../access-entries/', import.meta.url);
const awsAuth = parseAwsAuth(readFileSync(new URL('aws-auth.yaml', dir), 'utf8'));
// The real role ARNs restore the paths aws-auth leaves out
// (`aws iam list-roles --query 'Roles[].Arn'`, any account).
const principalArns = JSON.parse(
  readFileSync(new URL('principal-arns.json', dir), 'utf8'),
) as string[];

const plan = planAccessEntryMigration(awsAuth, {
  clusterName: 'prod',
  principalArns,
  target: 'API',
});
for (const loss of plan.losses)
  console.warn(`loss ${loss.code}: ${loss.key}[${loss.index}]: ${loss.message}`);
const { equivalent, differences } = await plan.check();
console.warn(`equivalent under API: ${equivalent} (${differences.length} differences)`);
console.log(renderMigration(plan, { format: 'aws-cli' })); // or json, cloudformation, terraform

// What the cluster answers today, access entries first, aws-auth second:
const accessEntries = parseAccessEntries(readFileSync(new URL('access-entries.json', dir), 'utf8'));
const ci = 'arn:aws:sts::444455556666:assumed-role/github-actions-deploy/run-42';
const answer = await resolveIdentity(ci, {
  accessEntries,
  awsAuth,
  authenticationMode: 'API_AND_CONFIG_MAP',
});
console.log(answer?.username, answer?.groups, answer?.accessPolicies);

// And why: the aws-auth mapping this access entry shadows, near misses when nothing matches.
const { nearMisses } = await explainIdentity(ci, { accessEntries, awsAuth });
for (const miss of nearMisses) console.log(`${miss.source} ${miss.kind}: ${miss.reason}`);
