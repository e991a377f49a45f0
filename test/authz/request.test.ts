/**
 * Requests read into kube-apiserver's authorizer attributes: the
 * `kubectl auth can-i` argument form and the object form. Facts:
 * - kubectl resolves typed names through discovery (plural, singular, short
 *   name) and falls back to the core group for names it does not know
 *   (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go, `resourceFor`);
 *   `-A` asks across all namespaces, and without `-n` it asks in the
 *   kubeconfig's namespace, `default` when none;
 * - a request on a namespace object carries that namespace as its own
 *   (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go).
 */
import { describe, expect, it } from 'vitest';
import { evaluatedRequest } from '../../src/authz/request.js';
import type { AuthzRequest } from '../../src/authz/types.js';

type Attrs = {
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  nonResourceURL?: string;
};

const attrs = (a: Attrs): Record<string, unknown> => ({
  verb: a.verb,
  apiGroup: a.apiGroup ?? '',
  resource: a.resource ?? '',
  subresource: a.subresource ?? '',
  name: a.name ?? '',
  namespace: a.namespace ?? '',
  ...(a.nonResourceURL === undefined ? {} : { nonResourceURL: a.nonResourceURL }),
});

describe('evaluatedRequest: what the authorizers see', () => {
  it.each<[string, AuthzRequest, Attrs]>([
    [
      'subresource with a namespace',
      'get pods/log -n dev',
      { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'dev' },
    ],
    [
      'resource.group spelled out, all namespaces',
      'list deployments.apps -A',
      { verb: 'list', apiGroup: 'apps', resource: 'deployments' },
    ],
    [
      'short name resolved to its group, default namespace',
      'list deploy',
      { verb: 'list', apiGroup: 'apps', resource: 'deployments', namespace: 'default' },
    ],
    [
      'singular name',
      'get pod web -n dev',
      { verb: 'get', resource: 'pods', name: 'web', namespace: 'dev' },
    ],
    ['non-resource URL', 'get /healthz', { verb: 'get', nonResourceURL: '/healthz' }],
    [
      'exec with the pod name',
      'create pods/exec debug-pod -n dev',
      {
        verb: 'create',
        resource: 'pods',
        subresource: 'exec',
        name: 'debug-pod',
        namespace: 'dev',
      },
    ],
    [
      '--subresource as kubectl spells it',
      'get pods --subresource=log --namespace=dev',
      { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'dev' },
    ],
    [
      '-nNS glued',
      'delete secrets db -nprod',
      { verb: 'delete', resource: 'secrets', name: 'db', namespace: 'prod' },
    ],
    [
      'cluster-scoped resource carries no namespace',
      'get nodes -n dev',
      { verb: 'get', resource: 'nodes' },
    ],
    [
      'a namespace object is in itself',
      'delete namespaces prod',
      { verb: 'delete', resource: 'namespaces', name: 'prod', namespace: 'prod' },
    ],
    ['a namespace list is in none', 'list namespaces', { verb: 'list', resource: 'namespaces' }],
    [
      'custom resource with its group',
      'create nodepools.karpenter.sh -A',
      { verb: 'create', apiGroup: 'karpenter.sh', resource: 'nodepools' },
    ],
    [
      'resource.version.group',
      'get deployments.v1.apps -n dev',
      { verb: 'get', apiGroup: 'apps', resource: 'deployments', namespace: 'dev' },
    ],
    [
      'unknown name falls back to the core group, as kubectl does',
      'get widgets -n dev',
      { verb: 'get', resource: 'widgets', namespace: 'dev' },
    ],
    ["kubectl's '*' '*' is resource * in the core group", '* * -A', { verb: '*', resource: '*' }],
    [
      'events resolve to the core group, as discovery prefers it',
      'list events -n dev',
      { verb: 'list', resource: 'events', namespace: 'dev' },
    ],
    [
      'object form without a namespace: all namespaces',
      { verb: 'list', resource: 'pods' },
      { verb: 'list', resource: 'pods' },
    ],
    [
      'object form resource/subresource and a group from the table',
      { verb: 'update', resource: 'deployments/scale', namespace: 'dev', name: 'web' },
      {
        verb: 'update',
        apiGroup: 'apps',
        resource: 'deployments',
        subresource: 'scale',
        name: 'web',
        namespace: 'dev',
      },
    ],
    [
      'object form with an explicit group is taken as written',
      { verb: 'get', resource: 'deployments', apiGroup: 'extensions', namespace: 'dev' },
      { verb: 'get', apiGroup: 'extensions', resource: 'deployments', namespace: 'dev' },
    ],
    [
      'object form namespace object',
      { verb: 'get', resource: 'namespaces', name: 'dev' },
      { verb: 'get', resource: 'namespaces', name: 'dev', namespace: 'dev' },
    ],
  ])('%s', (_name, request, expected) => {
    const { notes: _notes, ...got } = evaluatedRequest(request);
    expect(got).toEqual(attrs(expected));
  });

  it('says what it read differently', () => {
    expect(evaluatedRequest('get nodes -n dev').notes).toEqual([
      'nodes are cluster-scoped: namespace "dev" is ignored',
    ]);
    expect(evaluatedRequest('list deploy').notes).toEqual(['"deploy" is deployments.apps']);
    expect(evaluatedRequest('get widgets').notes[0]).toMatch(/not a built-in resource/);
  });

  it.each<[string, AuthzRequest, RegExp]>([
    ['no verb', '', /verb is required/],
    ['no resource', 'get', /needs a resource/],
    ['too many words', 'get pods a b', /unexpected "b"/],
    ['-n without a value', 'get pods -n', /-n needs a value/],
    ['-n and -A', 'get pods -n dev -A', /not both/],
    ['unknown flag', 'get pods --as admin', /unknown flag "--as"/],
    ['subresource twice', 'get pods/log --subresource exec', /subresource once/],
    ['empty resource part', 'get /log extra', /non-resource URL takes no name/],
    ['non-resource URL with a subresource', 'get /healthz --subresource log', /non-resource URL/],
    ['a watch path without a resource', 'get /api/v1/watch', /names no resource/],
    ['path not absolute', { verb: 'get', nonResourceURL: 'healthz' }, /start with "\/"/],
    ['object with neither', { verb: 'get' }, /resource \(or nonResourceURL\) is required/],
    ['not a string field', { verb: 'get', resource: 3 } as never, /resource must be a string/],
    [
      'nested subresource',
      { verb: 'get', resource: 'pods/a/b' },
      /not RESOURCE or RESOURCE\/SUBRESOURCE/,
    ],
    ['not an object', 42 as never, /string or an object/],
  ])('refuses %s with a TypeError', (_name, request, message) => {
    expect(() => evaluatedRequest(request)).toThrow(TypeError);
    expect(() => evaluatedRequest(request)).toThrow(message);
  });
});

/**
 * What kube-apiserver's authorizers see for the real request, which is not
 * always what a `kubectl auth can-i` review asks: kube-apiserver reads the
 * attributes from the URL (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go,
 * `NewRequestInfo`, at kubernetes/kubernetes 01bb682e and as current
 * releases keep it): a POST to a collection (`create`) and a DELETE of a
 * collection (`deletecollection`) carry no name; `/api/v1/…` and
 * `/apis/GROUP/VERSION/…` paths with a resource are resource requests; a
 * nameless GET is `list` (`watch` with `?watch=true`), and a list may carry
 * a name through `fieldSelector=metadata.name=`. kubectl lower-cases the
 * resource argument before discovery resolves it
 * (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go at 08ea6733, `resourceFor`),
 * and ignores `-n` for a non-resource URL (`Validate` refuses only a name or
 * `--subresource` with one). Impersonation is authorized as `impersonate` on
 * `users`, `groups`, `uids` or `userextras/KEY` without a namespace
 * (staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go,
 * `WithImpersonation`).
 */
describe('evaluatedRequest: the real request, as kube-apiserver reads it', () => {
  it.each<[string, AuthzRequest, Attrs]>([
    [
      'create of an object carries no name (POST to the collection)',
      'create pods web -n dev',
      { verb: 'create', resource: 'pods', namespace: 'dev' },
    ],
    [
      'create of a namespace: no name, so not in itself',
      'create namespaces team-a',
      { verb: 'create', resource: 'namespaces' },
    ],
    [
      'object form create with a name: no name either',
      { verb: 'create', resource: 'configmaps', name: 'cfg', namespace: 'dev' },
      { verb: 'create', resource: 'configmaps', namespace: 'dev' },
    ],
    [
      'deletecollection carries no name',
      'deletecollection secrets db -n dev',
      { verb: 'deletecollection', resource: 'secrets', namespace: 'dev' },
    ],
    [
      'create of a subresource of a named object keeps the name (exec)',
      'create pods/exec web -n dev',
      { verb: 'create', resource: 'pods', subresource: 'exec', name: 'web', namespace: 'dev' },
    ],
    [
      'an eviction keeps the pod name',
      'create pods/eviction web -n dev',
      { verb: 'create', resource: 'pods', subresource: 'eviction', name: 'web', namespace: 'dev' },
    ],
    [
      'a token request keeps the service account name',
      'create serviceaccounts/token builder -n ci',
      {
        verb: 'create',
        resource: 'serviceaccounts',
        subresource: 'token',
        name: 'builder',
        namespace: 'ci',
      },
    ],
    [
      'a list may carry a name (fieldSelector=metadata.name)',
      'list configmaps cfg -n dev',
      { verb: 'list', resource: 'configmaps', name: 'cfg', namespace: 'dev' },
    ],
    [
      'GET of a namespaced collection path is list, in that namespace',
      'get /api/v1/namespaces/prod/secrets',
      { verb: 'list', resource: 'secrets', namespace: 'prod' },
    ],
    [
      'GET of a named object path is get',
      'get /api/v1/namespaces/prod/secrets/db',
      { verb: 'get', resource: 'secrets', name: 'db', namespace: 'prod' },
    ],
    [
      'a group path with a subresource',
      'put /apis/apps/v1/namespaces/dev/deployments/web/scale',
      {
        verb: 'update',
        apiGroup: 'apps',
        resource: 'deployments',
        subresource: 'scale',
        name: 'web',
        namespace: 'dev',
      },
    ],
    [
      'a cluster-wide collection path: all namespaces',
      'get /api/v1/pods',
      { verb: 'list', resource: 'pods' },
    ],
    [
      '?watch=true makes it watch',
      'get /api/v1/namespaces/dev/pods?watch=true',
      { verb: 'watch', resource: 'pods', namespace: 'dev' },
    ],
    [
      '?watch=false stays list',
      'get /api/v1/namespaces/dev/pods?watch=false',
      { verb: 'list', resource: 'pods', namespace: 'dev' },
    ],
    [
      'the /watch/ special verb',
      'get /api/v1/watch/namespaces/dev/pods',
      { verb: 'watch', resource: 'pods', namespace: 'dev' },
    ],
    [
      'a list with fieldSelector=metadata.name carries the name',
      'get /api/v1/namespaces/dev/configmaps?fieldSelector=metadata.name%3Dcfg',
      { verb: 'list', resource: 'configmaps', name: 'cfg', namespace: 'dev' },
    ],
    [
      'DELETE of a collection path is deletecollection',
      'delete /api/v1/namespaces/dev/pods',
      { verb: 'deletecollection', resource: 'pods', namespace: 'dev' },
    ],
    [
      'POST is create',
      'post /apis/batch/v1/namespaces/dev/jobs',
      { verb: 'create', apiGroup: 'batch', resource: 'jobs', namespace: 'dev' },
    ],
    [
      'a namespace object path is in that namespace',
      'get /api/v1/namespaces/prod',
      { verb: 'get', resource: 'namespaces', name: 'prod', namespace: 'prod' },
    ],
    [
      "a namespace's own subresource",
      'put /api/v1/namespaces/prod/finalize',
      {
        verb: 'update',
        resource: 'namespaces',
        subresource: 'finalize',
        name: 'prod',
        namespace: 'prod',
      },
    ],
    [
      'the object form reads a resource path the same way',
      { verb: 'get', nonResourceURL: '/api/v1/namespaces/prod/secrets' },
      { verb: 'list', resource: 'secrets', namespace: 'prod' },
    ],
    ['/api alone is a non-resource path', 'get /api', { verb: 'get', nonResourceURL: '/api' }],
    ['/api/v1 is a non-resource path', 'get /api/v1', { verb: 'get', nonResourceURL: '/api/v1' }],
    [
      '/apis/apps/v1 (discovery) is a non-resource path',
      'get /apis/apps/v1',
      { verb: 'get', nonResourceURL: '/apis/apps/v1' },
    ],
    [
      'another prefix is non-resource however long',
      'get /openapi/v3/apis/apps/v1',
      { verb: 'get', nonResourceURL: '/openapi/v3/apis/apps/v1' },
    ],
    [
      '-n with a non-resource URL is ignored, as kubectl ignores it',
      'get /healthz -n dev',
      { verb: 'get', nonResourceURL: '/healthz' },
    ],
    [
      'resource.group is lower-cased as kubectl does',
      'get Deployments.Apps -n dev',
      { verb: 'get', apiGroup: 'apps', resource: 'deployments', namespace: 'dev' },
    ],
    [
      'impersonating a user: no namespace (impersonation.go asks about users with none)',
      'impersonate users alice',
      { verb: 'impersonate', resource: 'users', name: 'alice' },
    ],
    [
      'impersonating a group: no namespace',
      'impersonate groups system:masters -n dev',
      { verb: 'impersonate', resource: 'groups', name: 'system:masters' },
    ],
    [
      'impersonating an extra: userextras/KEY in authentication.k8s.io',
      'impersonate userextras/scopes view',
      {
        verb: 'impersonate',
        apiGroup: 'authentication.k8s.io',
        resource: 'userextras',
        subresource: 'scopes',
        name: 'view',
      },
    ],
    [
      'a custom resource.group is lower-cased too',
      'list NodePools.Karpenter.SH -A',
      { verb: 'list', apiGroup: 'karpenter.sh', resource: 'nodepools' },
    ],
  ])('%s', (_name, request, expected) => {
    const { notes: _notes, ...got } = evaluatedRequest(request);
    expect(got).toEqual(attrs(expected));
  });

  it('says what it read differently', () => {
    expect(evaluatedRequest('create pods web -n dev').notes).toEqual([
      'a create request carries no object name (it is sent to the collection): "web" is left out, so no resourceNames rule applies',
    ]);
    expect(evaluatedRequest('get /api/v1/namespaces/prod/secrets').notes).toEqual([
      '/api/v1/namespaces/prod/secrets is a resource path: kube-apiserver reads it as list secrets in namespace prod, and non-resource rules never apply to it',
    ]);
    expect(evaluatedRequest('get /healthz -n dev').notes).toEqual([
      '-n dev is ignored: a non-resource URL has none',
    ]);
  });
});
