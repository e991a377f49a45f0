/**
 * The matching helpers, branch by branch, against kubernetes/kubernetes
 * pkg/apis/rbac/v1/evaluation_helpers.go at 03bf11a3 and `RuleAllows` in
 * plugin/pkg/auth/authorizer/rbac/rbac.go at 01aa0f3f. (Upstream keeps no
 * evaluation_helpers_test.go beside it in the stored copies; these rows are
 * this project's own, one per branch and quirk.)
 */
import { describe, expect, it } from 'vitest';
import { ruleAllows } from '../../../src/authz/rbac/match.js';
import type { RbacRequest, RbacRuleInput } from '../../../src/authz/rbac/types.js';
import { pathRequest, resourceRequest } from './support.js';

const pods = (r: Partial<RbacRequest> = {}): RbacRequest =>
  resourceRequest({ verb: 'get', resource: 'pods', namespace: 'dev', ...r });

const CASES: readonly {
  name: string;
  rule: RbacRuleInput;
  request: RbacRequest;
  allowed: boolean;
}[] = [
  // VerbMatches: `*` or exact, case-sensitive.
  {
    name: 'verb * matches any verb',
    rule: { verbs: ['*'], apiGroups: [''], resources: ['pods'] },
    request: pods({ verb: 'deletecollection' }),
    allowed: true,
  },
  {
    name: 'verbs compare case-sensitively (GET is not get)',
    rule: { verbs: ['GET'], apiGroups: [''], resources: ['pods'] },
    request: pods(),
    allowed: false,
  },
  {
    name: 'no verbs allow nothing',
    rule: { verbs: [], apiGroups: ['*'], resources: ['*'] },
    request: pods(),
    allowed: false,
  },
  // APIGroupMatches: `*` or exact; '' is the core group.
  {
    name: 'apiGroup "" is the core group',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    request: pods(),
    allowed: true,
  },
  {
    name: 'the core group does not match apps',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['deployments'] },
    request: pods({ resource: 'deployments', apiGroup: 'apps' }),
    allowed: false,
  },
  {
    name: 'apiGroup * matches any group',
    rule: { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] },
    request: pods({ resource: 'deployments', apiGroup: 'apps' }),
    allowed: true,
  },
  {
    name: 'a missing apiGroups list matches no group',
    rule: { verbs: ['get'], resources: ['pods'] },
    request: pods(),
    allowed: false,
  },
  // ResourceMatches.
  {
    name: 'resource * matches any resource and subresource',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['*'] },
    request: pods({ subresource: 'log' }),
    allowed: true,
  },
  {
    name: 'pods does not cover pods/log',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    request: pods({ subresource: 'log' }),
    allowed: false,
  },
  {
    name: 'pods/log covers get pods/log',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] },
    request: pods({ subresource: 'log' }),
    allowed: true,
  },
  {
    name: "a star and /status covers any resource's status",
    rule: { verbs: ['get'], apiGroups: ['apps'], resources: ['*/status'] },
    request: pods({ resource: 'deployments', apiGroup: 'apps', subresource: 'status' }),
    allowed: true,
  },
  {
    name: 'a star and /status does not cover the resource itself',
    rule: { verbs: ['get'], apiGroups: ['apps'], resources: ['*/status'] },
    request: pods({ resource: 'deployments', apiGroup: 'apps' }),
    allowed: false,
  },
  {
    name: 'a star and /xstatus does not cover status (same suffix: the length must match)',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['*/xstatus'] },
    request: pods({ subresource: 'status' }),
    allowed: false,
  },
  {
    name: 'a star and /us does not cover status (the suffix must be the subresource)',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['*/us'] },
    request: pods({ subresource: 'status' }),
    allowed: false,
  },
  {
    name: 'x/status (no star) does not cover pods/status',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['x/status'] },
    request: pods({ subresource: 'status' }),
    allowed: false,
  },
  {
    name: 'pods/* is no wildcard: it does not cover pods/log',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/*'] },
    request: pods({ subresource: 'log' }),
    allowed: false,
  },
  // ResourceNameMatches.
  {
    name: 'no resourceNames: any name, and no name',
    rule: { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
    request: pods({ verb: 'list' }),
    allowed: true,
  },
  {
    name: 'resourceNames: the listed name',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] },
    request: pods({ name: 'web' }),
    allowed: true,
  },
  {
    name: 'resourceNames: another name',
    rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] },
    request: pods({ name: 'db' }),
    allowed: false,
  },
  {
    name: 'resourceNames never cover list (no name)',
    rule: { verbs: ['list'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] },
    request: pods({ verb: 'list' }),
    allowed: false,
  },
  {
    name: 'resourceNames never cover a top-level create (no name)',
    rule: { verbs: ['create'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] },
    request: pods({ verb: 'create' }),
    allowed: false,
  },
  {
    name: 'resourceNames cover create pods/exec NAME (the subresource carries a name)',
    rule: {
      verbs: ['create'],
      apiGroups: [''],
      resources: ['pods/exec'],
      resourceNames: ['debug'],
    },
    request: pods({ verb: 'create', subresource: 'exec', name: 'debug' }),
    allowed: true,
  },
  {
    name: 'resourceNames listing "" cover a request without a name (upstream compares strings)',
    rule: { verbs: ['list'], apiGroups: [''], resources: ['pods'], resourceNames: [''] },
    request: pods({ verb: 'list' }),
    allowed: true,
  },
  // NonResourceURLMatches.
  {
    name: 'URL exact',
    rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] },
    request: pathRequest('get', '/healthz'),
    allowed: true,
  },
  {
    name: 'URL exact does not cover a trailing slash',
    rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] },
    request: pathRequest('get', '/healthz/'),
    allowed: false,
  },
  {
    name: 'URL * covers every path',
    rule: { verbs: ['get'], nonResourceURLs: ['*'] },
    request: pathRequest('get', '/metrics'),
    allowed: true,
  },
  {
    name: 'URL prefix* covers the bare prefix too',
    rule: { verbs: ['get'], nonResourceURLs: ['/healthz*'] },
    request: pathRequest('get', '/healthz'),
    allowed: true,
  },
  {
    name: 'URL /api/* does not cover /apis',
    rule: { verbs: ['get'], nonResourceURLs: ['/api/*'] },
    request: pathRequest('get', '/apis'),
    allowed: false,
  },
  {
    name: 'URL /api* covers /apis (a plain string prefix)',
    rule: { verbs: ['get'], nonResourceURLs: ['/api*'] },
    request: pathRequest('get', '/apis/apps'),
    allowed: true,
  },
  {
    name: 'URL stars are all trimmed (/api** is the prefix /api)',
    rule: { verbs: ['get'], nonResourceURLs: ['/api**'] },
    request: pathRequest('get', '/api/v1'),
    allowed: true,
  },
  {
    name: 'a * inside a URL is literal',
    rule: { verbs: ['get'], nonResourceURLs: ['/a*/b'] },
    request: pathRequest('get', '/ax/b'),
    allowed: false,
  },
  // RuleAllows: resource and non-resource rules never cross.
  {
    name: 'a non-resource rule never allows a resource request',
    rule: { verbs: ['*'], nonResourceURLs: ['*'] },
    request: pods(),
    allowed: false,
  },
  {
    name: 'a resource rule never allows a non-resource request',
    rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    request: pathRequest('get', '/healthz'),
    allowed: false,
  },
];

describe('ruleAllows: evaluation_helpers.go, branch by branch', () => {
  it.each(CASES)('$name', ({ rule, request, allowed }) => {
    expect(ruleAllows(rule, request)).toBe(allowed);
  });
});
