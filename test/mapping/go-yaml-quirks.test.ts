/**
 * One row per way go-yaml v2 (gopkg.in/yaml.v2 v2.4.0, what EKS reads
 * aws-auth with, through sigs.k8s.io/yaml) and encoding/json read a text
 * differently from a YAML 1.2 reader. Each expected result is what the Go
 * authenticator's own ParseMap (kubernetes-sigs/aws-iam-authenticator
 * 81b1daba, pkg/mapper/configmap/configmap.go:95-190) kept for that input;
 * the file:line is the go-yaml or encoding/json rule behind it.
 */
import { describe, expect, it } from 'vitest';
import { mapIdentity, parseAwsAuth } from '../../src/index.js';
import type { AwsAuth } from '../../src/index.js';

/** What Go keeps, in the oracle's terms (rolearn or sso, username, groups; mapAccounts). */
function kept(a: AwsAuth): Record<string, unknown> {
  return {
    ...(a.mapRoles.length > 0
      ? {
          mapRoles: a.mapRoles.map((r) =>
            'sso' in r && r.sso !== undefined
              ? {
                  sso: {
                    permissionSetName: r.sso.permissionSetName,
                    accountID: r.sso.accountId,
                    partition: r.sso.partitionWritten === true ? r.sso.partition : '',
                  },
                  username: r.username,
                  groups: r.groups,
                }
              : {
                  rolearn: 'roleArn' in r ? r.roleArn : '',
                  username: r.username,
                  groups: r.groups,
                },
          ),
        }
      : {}),
    ...(a.mapAccounts.length > 0 ? { mapAccounts: a.mapAccounts } : {}),
  };
}

const ROWS: readonly [string, Record<string, string>, Record<string, unknown>][] = [
  [
    'second document: go-yaml reads the first only (yaml.go:137-160, parserc.go:305-330); an error after it is never seen',
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n---\n- rolearn: [\n' },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: 'a', groups: [] }] },
  ],
  [
    "'...' ends the first document (parserc.go:305-330)",
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n...\njunk: [\n' },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: 'a', groups: [] }] },
  ],
  [
    'an item indented left of the first ends the document: Go keeps the leading entries (parserc.go:198-247, 305-330)',
    {
      mapRoles:
        '  - rolearn: arn:aws:iam::111122223333:role/A\n    username: a\n- rolearn: arn:aws:iam::111122223333:role/B\n  username: b\n',
    },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: 'a', groups: [] }] },
  ],
  [
    'a flow root ends the document at the next token: document end needs no marker (parserc.go:305-330), and yaml.Unmarshal reads one document (yaml.go:137-153)',
    { mapRoles: '[{rolearn: arn:aws:iam::111122223333:role/A, username: a}]...\njunk: [\n' },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: 'a', groups: [] }] },
  ],
  [
    'Groups then groups: encoding/json decodes both into one slice, element by element (decode.go array); a null keeps the earlier element',
    {
      mapRoles:
        '- rolearn: arn:aws:iam::111122223333:role/A\n  Groups: [system:masters]\n  groups: [~, view]\n',
    },
    {
      mapRoles: [
        {
          rolearn: 'arn:aws:iam::111122223333:role/A',
          username: '',
          groups: ['system:masters', 'view'],
        },
      ],
    },
  ],
  [
    'SSO then sso: both decoded into one struct (Go 1.19 encoding/json decode.go:711 matches either spelling; indirect, decode.go:475-477, allocates the pointer only when nil)',
    {
      mapRoles:
        "- SSO: {permissionSetName: Admin}\n  sso: {accountID: '111122223333'}\n  username: a\n",
    },
    {
      mapRoles: [
        {
          sso: { permissionSetName: 'Admin', accountID: '111122223333', partition: '' },
          username: 'a',
          groups: [],
        },
      ],
    },
  ],
  [
    "a tab before [ after a key's colon separates like a space (scannerc.go:1308, 1443-1470)",
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  groups:\t[system:masters]\n' },
    {
      mapRoles: [
        { rolearn: 'arn:aws:iam::111122223333:role/A', username: '', groups: ['system:masters'] },
      ],
    },
  ],
  [
    "a tab after '- ' cannot start a token (scannerc.go:1443-1470, 819)",
    { mapRoles: '- \trolearn: arn:aws:iam::111122223333:role/A\n' },
    {},
  ],
  [
    "a tab after '-' at a line's start, below a one-pair flow mapping [a: b]: refused as after [a, b] (scannerc.go:1443-1470, 819)",
    {
      mapRoles:
        '- rolearn: arn:aws:iam::111122223333:role/A\n  note: [a: b]\n-\trolearn: arn:aws:iam::111122223333:role/B\n  groups: [system:masters]\n',
    },
    {},
  ],
  [
    "a tab-only line left of a plain scalar's block (scannerc.go:2662)",
    {
      mapRoles:
        '- rolearn: arn:aws:iam::111122223333:role/A\n\t\n- rolearn: arn:aws:iam::111122223333:role/B\n',
    },
    {},
  ],
  [
    "a tab in a block scalar's indentation (scannerc.go:2283)",
    {
      mapRoles:
        '- rolearn: |\n    arn:aws:iam::111122223333:role/A\n\t\n- rolearn: arn:aws:iam::111122223333:role/B\n',
    },
    {},
  ],
  [
    'mapAccounts: !!binary decoded (decode.go:419-425)',
    { mapAccounts: '- !!binary MTExMTIyMjIzMzMz\n' },
    { mapAccounts: ['111122223333'] },
  ],
  [
    "mapAccounts: a failing !!int after good items stops the decoder; the pre-sized slice keeps '' slots (decode.go:585-622, resolve.go:90-109)",
    { mapAccounts: "- '111122223333'\n- !!int abc\n- '222233334444'\n" },
    { mapAccounts: ['111122223333', '', ''] },
  ],
  [
    'mapAccounts: !!timestamp must parse as one (resolve.go:140-147, 235-258)',
    { mapAccounts: "- !!timestamp x\n- '111122223333'\n" },
    { mapAccounts: ['', ''] },
  ],
  [
    'mapAccounts: a valid !!timestamp is kept as written (resolve.go:140-147 accepts it; decode.go:474-480 stores the text, not a time.Time, into interface{})',
    { mapAccounts: "- !!timestamp 2001-12-14\n- '111122223333'\n" },
    { mapAccounts: ['2001-12-14', '111122223333'] },
  ],
  [
    'mapAccounts: a map item is skipped, its list key never decoded (decode.go:673 only when decoded)',
    { mapAccounts: "- {{SessionName}}\n- '111122223333'\n" },
    { mapAccounts: ['111122223333'] },
  ],
  [
    'NEL is a YAML 1.1 line break (yamlprivateh.go is_break)',
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A  username: a\n' },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: 'a', groups: [] }] },
  ],
  [
    'LS is a line break, kept as itself inside a quoted scalar (scannerc.go:2517-2535)',
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A   groups: ["a b"]\n' },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: '', groups: ['a b'] }] },
  ],
  [
    '%YAML 1.2 is refused (parserc.go:1032-1036)',
    { mapRoles: '%YAML 1.2\n---\n- rolearn: arn:aws:iam::111122223333:role/A\n' },
    {},
  ],
  [
    'an unknown directive is refused (scannerc.go:1558)',
    { mapRoles: '%FOO bar\n---\n- rolearn: arn:aws:iam::111122223333:role/A\n' },
    {},
  ],
  [
    '%TAG redefining !! makes !!int a foreign tag, read as a string (parserc.go:1013-1062)',
    {
      mapRoles:
        '%TAG !! tag:example.com,2000:\n---\n- rolearn: arn:aws:iam::111122223333:role/A\n  username: !!int abc\n',
    },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: 'abc', groups: [] }] },
  ],
  [
    '\\/ is no libyaml escape (scannerc.go:2363-2427)',
    { mapRoles: '- rolearn: "arn:aws:iam::111122223333:role\\/A"\n' },
    {},
  ],
  [
    "\\' is a libyaml escape (scannerc.go:2363-2427)",
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  username: "a\\\'b"\n' },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: "a'b", groups: [] }] },
  ],
  [
    'an implicit key over 1,024 characters is no key (scannerc.go:835)',
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  LONGKEY: v\n' },
    {},
  ],
  [
    "[-] is the scalar '-' (scannerc.go:797-800)",
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  groups: [-]\n' },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: '', groups: ['-'] }] },
  ],
  [
    "[x:] is the scalar 'x:' (scannerc.go:2604-2610)",
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  groups: [system:masters:]\n' },
    {
      mapRoles: [
        { rolearn: 'arn:aws:iam::111122223333:role/A', username: '', groups: ['system:masters:'] },
      ],
    },
  ],
  [
    'an overridden duplicate key is decoded, never marshalled: its .nan fails nothing (sigs.k8s.io/yaml yaml.go:174)',
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  username: .nan\n  username: a\n' },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: 'a', groups: [] }] },
  ],
  [
    "a flow collection's continuation line at any indentation: libyaml keeps no indentation in flow (scannerc.go:934-935, 968-969)",
    {
      mapRoles:
        '- rolearn: arn:aws:iam::111122223333:role/A\n  groups: [view,\n  system:masters]\n',
    },
    {
      mapRoles: [
        {
          rolearn: 'arn:aws:iam::111122223333:role/A',
          username: '',
          groups: ['view', 'system:masters'],
        },
      ],
    },
  ],
  [
    'a block scalar ending the text without a line break has none: only a line break read is kept at the tail (scannerc.go:2228, 2236-2239)',
    { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  username: >\n    a\n    b' },
    { mapRoles: [{ rolearn: 'arn:aws:iam::111122223333:role/A', username: 'a b', groups: [] }] },
  ],
];

describe('go-yaml v2 and encoding/json, as EKS reads aws-auth', () => {
  it.each(ROWS)('%s', (_name, data, expected) => {
    const input = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, v.replace('LONGKEY', 'k'.repeat(1100))]),
    );
    expect(kept(parseAwsAuth(input))).toEqual(expected);
  });

  it.each([
    ['the long s (U+017F)', 'arn:aw\u017f:iam::111122223333:role/A'],
    ['the Kelvin sign (U+212A)', 'arn:aws:iam::111122223333:role/\u212aelvin'],
  ])(
    'strings.EqualFold folds %s onto ASCII (pkg/config/mapper.go:75): the entry matches',
    async (_name, rolearn) => {
      const a = parseAwsAuth({ mapRoles: `- rolearn: ${rolearn}\n  username: u\n` });
      const role = rolearn.includes('\u212a') ? 'kelvin' : 'A';
      const m = await mapIdentity(a, `arn:aws:sts::111122223333:assumed-role/${role}/s`);
      expect(m?.username).toBe('u');
    },
  );

  // strings.EqualFold (pkg/config/mapper.go:75) folds with unicode.SimpleFold
  // (Go 1.19 src/strings/strings.go:1049, src/unicode/letter.go:340), whose
  // orbit for U+0131 holds no ASCII letter: 'ı' never equals 'I' or 'i'.
  it('dotless i (U+0131) folds onto nothing in Go: no match (strings.go:1049, letter.go:340)', async () => {
    const a = parseAwsAuth({
      mapRoles: '- rolearn: arn:aws:iam::111122223333:role/\u0131\n  username: u\n',
    });
    expect(await mapIdentity(a, 'arn:aws:sts::111122223333:assumed-role/I/s')).toBeNull();
  });
});
