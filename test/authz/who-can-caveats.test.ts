/**
 * whoCan's rows carry the caveats authorize gives for the same principal and
 * request: one decision, asked two ways (SPEC 4.9). Facts the cases rest on:
 * - impersonation drops access-policy grants: "you're forcing the use of
 *   Kubernetes RBAC authorization. As a result, the IAM principal has no
 *   permissions assigned by any access policies" (AWS EKS user guide,
 *   "Associate access policies with access entries",
 *   https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html);
 * - a binding to a missing role is an error, never a grant
 *   (pkg/registry/rbac/validation/rule.go `VisitRulesFor`: the lister's
 *   "not found" is passed to the visitor and the walk goes on);
 * - a node's named secret depends on the Node authorizer's graph
 *   (plugin/pkg/auth/authorizer/node/node_authorizer.go `hasPathFrom`);
 * - an identity from the Go authenticator's own sources is on an API server
 *   that may chain other authorizers (kube-apiserver
 *   `--authorization-mode`, e.g. `Node,RBAC,Webhook`).
 */
import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/authz/authorize.js';
import { whoCan } from '../../src/authz/who-can.js';
import type { AuthorizeOptions, Caveat } from '../../src/authz/types.js';
import { parseAuthenticatorConfig } from '../../src/sources/authenticator-config.js';
import { binding, role, rule, snapshot } from './rbac-snapshot.js';

const A = '111122223333';
const arn = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
const policy = (name: string): string => `arn:aws:eks::aws:cluster-access-policy/${name}`;
const NODE_NAME = 'ip-10-0-0-1.ec2.internal';

const rbac = snapshot({
  clusterRoles: [role('health', [rule({ verbs: ['get'], nonResourceURLs: ['/healthz'] })])],
  clusterRoleBindings: [
    binding('everyone', 'ClusterRole/health', ['Group:system:authenticated']),
    binding('dangling', 'ClusterRole/gone', ['Group:system:authenticated']),
  ],
  roleBindings: [binding('dangling-in-prod', 'gone-too', ['Group:system:authenticated'], 'prod')],
});

const nodeMapping = (rolearn: string): string =>
  `  - rolearn: ${rolearn}\n    username: system:node:{{EC2PrivateDNSName}}\n    groups: [system:bootstrappers, system:nodes]\n`;

const api: AuthorizeOptions = {
  accessEntries: {
    accessEntries: [
      {
        principalArn: arn('Viewer'),
        accessPolicies: [
          {
            policyArn: policy('AmazonEKSViewPolicy'),
            accessScope: { type: 'namespace', namespaces: ['prod'] },
          },
        ],
      },
      {
        principalArn: arn('Made'),
        accessPolicies: [
          { policyArn: policy('AmazonEKSMadeUpPolicy'), accessScope: { type: 'cluster' } },
        ],
      },
    ],
  },
  authenticationMode: 'API',
  rbac,
};

const configMap: AuthorizeOptions = {
  awsAuth: `mapRoles: |\n${nodeMapping(arn('Nodes'))}`,
  rbac,
  resolveEC2PrivateDNSName: () => NODE_NAME,
};

const sources: AuthorizeOptions = {
  awsAuth: [
    parseAuthenticatorConfig(
      `server:\n  mapRoles:\n  - roleARN: ${arn('Nodes')}\n    username: system:node:{{EC2PrivateDNSName}}\n    groups: [system:nodes]\n`,
    ),
  ],
  rbac,
  resolveEC2PrivateDNSName: () => NODE_NAME,
};

/** What authorize answers a session of `name`, and whoCan's rows for the role. */
async function bothWays(
  name: string,
  request: string,
  options: AuthorizeOptions,
): Promise<{ authorized: [string, Caveat[]]; rows: [string, Caveat[]][] }> {
  const decision = await authorize(
    `arn:aws:sts::${A}:assumed-role/${name}/i-0123456789abcdef0`,
    request,
    options,
  );
  const { principals } = await whoCan(request, options);
  // whoCan names a node by its username template, authorize by the rendered name.
  const templated = (c: Caveat): Caveat => ({
    ...c,
    message: c.message.replace(`system:node:${NODE_NAME}`, 'system:node:{{EC2PrivateDNSName}}'),
  });
  return {
    authorized: [decision.decision, decision.caveats.map(templated)],
    rows: principals
      .filter((p) => p.principalArn === arn(name))
      .map((p) => [p.decision, [...p.caveats]]),
  };
}

describe('whoCan rows carry the caveats authorize gives', () => {
  it.each<[string, string, string, AuthorizeOptions, string[]]>([
    [
      'an access-policy allow: impersonation drops it',
      'Viewer',
      'get pods -n prod',
      api,
      ['impersonation'],
    ],
    [
      'an undocumented policy and bindings to missing roles: rbac-error for each binding',
      'Made',
      'delete pods x -n prod',
      api,
      ['undocumented-policy', 'rbac-error', 'rbac-error'],
    ],
    [
      'a node under CONFIG_MAP: the Node authorizer, the hidden cluster creator, the missing roles',
      'Nodes',
      'get secrets db -n prod',
      configMap,
      ['node-authorizer', 'rbac-error', 'rbac-error', 'cluster-creator'],
    ],
    [
      "a node from the Go authenticator's sources: other authorizers may run",
      'Nodes',
      'get secrets db -n prod',
      sources,
      ['node-authorizer', 'rbac-error', 'rbac-error', 'cluster-creator', 'webhook-authorizer'],
    ],
    ['an RBAC allow has none', 'Made', 'get /healthz', api, []],
  ])('%s', async (_name, who, request, options, expected) => {
    const { authorized, rows } = await bothWays(who, request, options);
    expect(authorized[1].map((c) => c.code)).toEqual(expected);
    // The same caveats, message for message, on the principal's one row.
    expect(rows).toEqual([authorized]);
  });
});
