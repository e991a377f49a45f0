/**
 * Real `aws-auth` ConfigMaps, copied from the public write-ups this project
 * grew from (the manifests only, as their authors printed them),
 * plus small builders for the tests.
 */

/** seed 000: `kubectl -n kube-system get cm aws-auth -o yaml` of an eksctl cluster. */
export const EKSCTL_NODEGROUP = `apiVersion: v1
data:
  mapRoles: |
    - groups:
      - system:bootstrappers
      - system:nodes
      rolearn: arn:aws:iam::111111111111:role/eksctl-ironman-2022-nodegroup-ng1-publ-NodeInstanceRole-HN27OZ18JS6U
      username: system:node:{{EC2PrivateDNSName}}
kind: ConfigMap
metadata:
  creationTimestamp: "2022-09-14T09:56:19Z"
  name: aws-auth
  namespace: kube-system
  resourceVersion: "2011"
  uid: f4cb3fae-17ef-421d-871c-5be15efbe73f
`;

/** seed 001: two node groups whose username lost its placeholder, and one admin user. */
export const TWO_NODEGROUPS_AND_ADMIN = `apiVersion: v1
data:
  mapRoles: |
    - groups:
      - system:bootstrappers
      - system:nodes
      rolearn: arn:aws:iam::132099418825:role/eksctl-test-eks-cluster-nodegrou-NodeInstanceRole-1CR0AFVMLFHSE
      username: system:node:
    - groups:
      - system:bootstrappers
      - system:nodes
      rolearn: arn:aws:iam::132099418825:role/eksctl-test-eks-cluster-nodegrou-NodeInstanceRole-1FLORRGQWIWD8
      username: system:node:
  mapUsers: |
    - userarn: arn:aws:iam::142627221238:user/test
      username: admin
      groups:
        - system:masters
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
`;

/** seed 002: a hand-written manifest (4-space metadata indent). */
export const TERRAFORM_ROLE_AND_USER = `apiVersion: v1
kind: ConfigMap
metadata:
    name: aws-auth
    namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::555555555555:role/abc
      username: ops-user
      groups:
        - system:masters
  mapUsers: |
    - userarn: arn:aws:iam::555555555555:user/a-user
      username: admin
      groups:
        - system:masters
`;

/** seed 003: single-brace `{EC2PrivateDNSName}` and an account id masked by the author. */
export const MASKED_SINGLE_BRACE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::534***385:role/mobilebackend-dev-eks-0-wn-stack-NodeInstanceRole-15NNFZK6WW4IG
      username: system:node:{EC2PrivateDNSName}
      groups:
        - system:bootstrappers
        - system:nodes
  mapUsers: |
    - userarn: arn:aws:iam::534***385:user/yaroslav
      username: yaroslav
      groups:
        - system:masters
`;

/** Indent every line of `text` by `n` spaces (for nesting a list under `mapRoles: |`). */
export function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** A whole manifest holding the given `data` values as `|` blocks. */
export function manifest(data: Record<string, string>): string {
  const blocks = Object.entries(data)
    .map(([key, value]) => `  ${key}: |\n${indent(value, 4)}`)
    .join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n${blocks}\n`;
}

/** `n` distinct rolearn entries, as the YAML list text of `mapRoles`. */
export function manyRoles(n: number, account = '123456789012'): string {
  let out = '';
  for (let i = 0; i < n; i += 1) {
    out += `- rolearn: arn:aws:iam::${account}:role/role-${i}\n  username: user-${i}:{{SessionName}}\n  groups:\n    - group-${i}\n`;
  }
  return out;
}
