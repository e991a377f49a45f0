/**
 * A diagnostic about one field or value carries `fieldLine` and `column`
 * (1-based) of that value, besides `line` of the entry's `- ` (SPEC 4.1),
 * so `eks-iam-auth lint` can point at `file:line:column`.
 */
import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../../src/index.js';
import type { AwsAuthDiagnostic } from '../../src/index.js';

const MANIFEST = [
  'apiVersion: v1', // 1
  'kind: ConfigMap', // 2
  'metadata: {name: aws-auth, namespace: kube-system}', // 3
  'data:', // 4
  '  mapRoles: |', // 5
  '    - rolearn: arn:aws:iam::111122223333:role/team/Admin', // 6
  '      username: yes', // 7
  '      groups:', // 8
  '        - system:master', // 9
  '        - "*"', // 10
  '      usernam: x', // 11
  '    - {rolearn: "arn:aws:sts::111122223333:assumed-role/A/s", groups: [system:node]}', // 12
  '  mapUsers: |', // 13
  '    - userarn: " arn:aws:iam::111122223333:user/bob"', // 14
  '      groups: system:masters', // 15
  '',
].join('\n');

function at(
  d: AwsAuthDiagnostic | undefined,
): [number | undefined, number | undefined, number | undefined] {
  return [d?.line, d?.fieldLine, d?.column];
}

function find(
  list: readonly AwsAuthDiagnostic[],
  code: string,
  key = 'mapRoles',
): AwsAuthDiagnostic | undefined {
  return list.find((d) => d.code === code && d.key === key);
}

describe('value locations in a manifest (literal blocks)', () => {
  const { diagnostics } = parseAwsAuth(MANIFEST);

  it.each([
    ['arn-path', 'mapRoles', [6, 6, 16]],
    ['yaml11-scalar', 'mapRoles', [6, 7, 17]],
    ['group-near-miss', 'mapRoles', [6, 9, 11]],
    ['wildcard', 'mapRoles', [6, 10, 11]],
    ['unknown-field', 'mapRoles', [6, 11, 7]],
    ['arn-assumed-role', 'mapRoles', [12, 12, 17]],
    ['whitespace', 'mapUsers', [14, 14, 16]],
    ['field-wrong-type', 'mapUsers', [14, 15, 15]],
  ] as const)(
    '%s (%s): line of the entry, fieldLine and column of the value',
    (code, key, want) => {
      expect(at(find(diagnostics, code, key))).toEqual(want);
    },
  );

  it('a diagnostic about the whole entry has no value location', () => {
    const d = parseAwsAuth({ mapRoles: '- username: x\n' }).diagnostics.find(
      (x) => x.code === 'entry-missing-arn',
    );
    expect(d?.line).toBe(1);
    expect(d?.fieldLine).toBeUndefined();
    expect(d?.column).toBeUndefined();
  });
});

describe('value locations in object input (the data strings are the text)', () => {
  it('lines and columns are those of the string', () => {
    const { diagnostics } = parseAwsAuth({
      mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  groups: ["system:master"]\n',
    });
    expect(at(find(diagnostics, 'group-near-miss'))).toEqual([1, 2, 12]);
  });
});

describe('what the reader says about its own limits and the document end', () => {
  it('a second document: says where EKS stops reading', () => {
    const d = parseAwsAuth({
      mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n---\n- rolearn: [\n',
    }).diagnostics.find((x) => x.code === 'yaml-extra-document');
    expect(d?.message).toContain('EKS reads up to line 2');
  });

  it('an item indented left of the first: the same warning, with the line', () => {
    const a = parseAwsAuth({
      mapRoles:
        '  - rolearn: arn:aws:iam::111122223333:role/A\n- rolearn: arn:aws:iam::111122223333:role/B\n',
    });
    expect(a.mapRoles).toHaveLength(1);
    expect(a.diagnostics.find((x) => x.code === 'yaml-extra-document')?.message).toContain(
      'EKS reads up to line 2',
    );
  });
});

describe('value locations in the authenticator config file (same entry reader)', () => {
  it('an unknown field of a server.mapRoles entry is located', async () => {
    const { parseAuthenticatorConfig } = await import('../../src/index.js');
    const config = parseAuthenticatorConfig(
      [
        'clusterID: demo',
        'server:',
        '  mapRoles:',
        '  - roleARN: arn:aws:iam::111122223333:role/A',
        '    usernme: a',
        '',
      ].join('\n'),
    );
    const d = config.diagnostics.find((x) => x.code === 'unknown-field');
    expect([d?.line, d?.fieldLine, d?.column]).toEqual([4, 5, 5]);
  });
});
