/**
 * `sourceKindOf`: which mapping source a file holds, told apart by content
 * (the `map --source` and `lint` entry point). Each backend's input shape
 * is the Go authenticator's: the server config file is YAML with `server:`
 * and `clusterID` (pkg/config/types.go), IAMIdentityMapping objects are
 * `iamauthenticator.k8s.aws/v1alpha1` (pkg/mapper/crd/apis/iamauthenticator/register.go:19),
 * the DynamicFile is JSON decoded with encoding/json
 * (pkg/mapper/dynamicfile/dynamicfile.go:79).
 */
import { describe, expect, it } from 'vitest';
import { sourceKindOf } from '../../src/cli/source-kind.js';
import type { SourceKind } from '../../src/cli/source-kind.js';

const A = '111122223333';
const CRD = `apiVersion: iamauthenticator.k8s.aws/v1alpha1
kind: IAMIdentityMapping
metadata: {name: a}
spec: {arn: "arn:aws:iam::${A}:role/a", username: a}
`;

const CASES: [string, string, SourceKind | undefined][] = [
  ['config file with server:', `server:\n  mapRoles: []\n`, 'authenticator-config'],
  ['config file with clusterID only', `clusterID: prod\n`, 'authenticator-config'],
  [
    'config file, keys in another case (viper ignores case)',
    `Server:\n  mapUsers: []\n`,
    'authenticator-config',
  ],
  ['config file in JSON', JSON.stringify({ clusterID: 'c', server: {} }), 'authenticator-config'],
  ['one IAMIdentityMapping', CRD, 'identity-mappings'],
  ['IAMIdentityMapping documents', `${CRD}---\n${CRD}`, 'identity-mappings'],
  [
    'a List of IAMIdentityMapping (kubectl get -o yaml)',
    `apiVersion: v1\nkind: List\nitems:\n- apiVersion: iamauthenticator.k8s.aws/v1alpha1\n  kind: IAMIdentityMapping\n`,
    'identity-mappings',
  ],
  [
    'an IAMIdentityMapping in JSON',
    JSON.stringify({ apiVersion: 'iamauthenticator.k8s.aws/v1alpha1', kind: 'IAMIdentityMapping' }),
    'identity-mappings',
  ],
  [
    'a JSON List of them',
    JSON.stringify({ kind: 'List', items: [{ kind: 'IAMIdentityMapping' }] }),
    'identity-mappings',
  ],
  ['a List of something else', `kind: List\nitems:\n- kind: ConfigMap\n`, undefined],
  [
    'DynamicFile with its header',
    JSON.stringify({ LastUpdatedDateTime: '1', Version: '1', mapRoles: [] }),
    'dynamic-file',
  ],
  [
    'DynamicFile with lists only',
    JSON.stringify({ mapUsers: [], mapAccounts: null }),
    'dynamic-file',
  ],
  [
    'DynamicFile keys in another case (encoding/json ignores case)',
    JSON.stringify({ MAPROLES: [] }),
    'dynamic-file',
  ],
  [
    'aws-auth data map in JSON (YAML text in strings)',
    JSON.stringify({ mapRoles: '- rolearn: x\n' }),
    'aws-auth',
  ],
  ['aws-auth ConfigMap in JSON', JSON.stringify({ kind: 'ConfigMap', data: {} }), 'aws-auth'],
  [
    'aws-auth ConfigMap in YAML',
    `apiVersion: v1\nkind: ConfigMap\ndata:\n  mapRoles: |\n    - rolearn: x\n`,
    'aws-auth',
  ],
  ['aws-auth data map in YAML', `mapRoles: |\n  - rolearn: x\n`, 'aws-auth'],
  [
    'a ConfigMap quoting "kind: IAMIdentityMapping" inside a block',
    `data:\n  mapRoles: |\n    kind: IAMIdentityMapping\n`,
    'aws-auth',
  ],
  [
    'access entries (a JSON list)',
    JSON.stringify([{ principalArn: `arn:aws:iam::${A}:role/a` }]),
    undefined,
  ],
  ['access entries (an object)', JSON.stringify({ accessEntries: [] }), undefined],
  ['junk', 'just a string\n', undefined],
];

describe('sourceKindOf', () => {
  it.each(CASES)('%s', (_name, text, kind) => {
    expect(sourceKindOf(text)).toBe(kind);
  });
});
