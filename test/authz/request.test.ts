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
    ['non-resource URL with a namespace', 'get /healthz -n dev', /non-resource URL/],
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
