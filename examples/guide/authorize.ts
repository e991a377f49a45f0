/**
 * Guide §5.1: ask what an EKS API server would answer, offline: one
 * decision with its reasons, every principal that may make a request, and
 * the rules in effect (what `kubectl auth can-i --list` cannot show).
 */
import { readFileSync } from 'node:fs';
import {
  authorize,
  listPermissions,
  parseAccessEntries,
  parseAwsAuth,
  parseRbac,
  whoCan,
} from 'eks-iam-auth';
import type { AuthorizeOptions } from 'eks-iam-auth';

const dir = new URL('../authz/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');

// `aws eks list-access-entries` + `describe-access-entry` +
// `list-associated-access-policies` as one bundle; `kubectl get cm aws-auth
// -n kube-system -o yaml`; the cluster's own RBAC objects (Kubernetes'
// defaults are added; pass { bootstrap: false } for a whole live dump).
const cluster: AuthorizeOptions = {
  accessEntries: parseAccessEntries(read('access-entries.json')),
  awsAuth: parseAwsAuth(read('aws-auth.yaml')),
  rbac: parseRbac(read('rbac.yaml')),
};

const alice = 'arn:aws:sts::111122223333:assumed-role/Developer/alice';
const decision = await authorize(alice, 'get secrets -n prod', cluster);
console.log(decision.decision); // 'allow'
for (const reason of decision.reasons) {
  if (reason.via === 'rbac') console.log(`${reason.binding.kind} ${reason.binding.name}`);
  if (reason.via === 'access-policy') console.log(reason.policyArn, reason.scope);
}
for (const caveat of decision.caveats) console.warn(caveat.code, caveat.message);

// The same question for every principal the files let in.
const { principals } = await whoCan(
  { verb: 'get', resource: 'secrets', namespace: 'prod' },
  cluster,
);
for (const p of principals) {
  console.log(p.principalArn ?? `account ${p.account}`, p.decision, p.condition?.description ?? '');
}

// The rules in effect for alice in a team namespace, access policies included.
const { rules } = await listPermissions(alice, { ...cluster, namespace: 'team-payments' });
console.log(rules.length, rules.filter((r) => r.source.via === 'access-policy').length);
