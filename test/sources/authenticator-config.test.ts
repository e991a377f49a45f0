/**
 * parseAuthenticatorConfig: the Go authenticator's server config file, as its
 * server reads it. Go facts cite kubernetes-sigs/aws-iam-authenticator at
 * commit 81b1daba.
 */
import { describe, expect, it } from 'vitest';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import { AwsAuthError } from '../../src/errors.js';
import { parseAuthenticatorConfig } from '../../src/sources/authenticator-config.js';

const A = '111122223333';

function config(server: string, top = 'clusterID: demo\n'): string {
  return `${top}server:\n${server.replace(/^/gm, '  ')}\n`;
}

describe('reading the file', () => {
  it('the README example: roles, users, accounts, backendMode (README.md:446-531)', () => {
    const c = parseAuthenticatorConfig(
      config(`mapRoles:
- rolearn: arn:aws:iam::${A}:role/KubernetesAdmin
  username: kubernetes-admin
  groups:
  - system:masters
mapUsers:
- userarn: arn:aws:iam::${A}:user/Alice
  username: alice
  groups:
  - system:masters
mapAccounts:
- "012345678901"
backendMode:
- MountedFile`),
    );
    expect(c.refusedBecause).toBeUndefined();
    expect(c.mode).toBe('MountedFile');
    expect(c.clusterId).toBe('demo');
    expect(c.backendMode).toEqual(['MountedFile']);
    expect(c.mapRoles).toMatchObject([
      { roleArn: `arn:aws:iam::${A}:role/KubernetesAdmin`, groups: ['system:masters'], line: 4 },
    ]);
    expect(c.mapUsers).toMatchObject([
      { userArn: `arn:aws:iam::${A}:user/Alice`, username: 'alice' },
    ]);
    expect(c.mapAccounts).toEqual(['012345678901']);
    expect(c.diagnostics).toEqual([]);
    expect(Object.isFrozen(c.mapRoles[0]?.groups)).toBe(true);
  });

  // viper lower-cases every key and mapstructure matches field names ignoring
  // case: hack/dev/authenticator_with_dynamicfile_mode.yaml:8 writes
  // "backendmode", :20 "userARN" (cmd/aws-iam-authenticator/root.go:150-158).
  it('keys and field names are case-insensitive', () => {
    const c = parseAuthenticatorConfig(
      `ClusterID: demo\nSERVER:\n  backendmode: [MountedFile]\n  MapUsers:\n  - userARN: arn:aws:iam::${A}:user/Alice\n    UserName: alice\n`,
    );
    expect(c.clusterId).toBe('demo');
    expect(c.mapUsers).toMatchObject([{ username: 'alice' }]);
  });

  it('an empty file is an empty config with the default backend mode (cmd/aws-iam-authenticator/server.go:126-128)', () => {
    const c = parseAuthenticatorConfig('');
    expect(c).toMatchObject({
      mapRoles: [],
      backendMode: ['MountedFile'],
      dynamicFileUserIdStrict: false,
    });
  });

  it.each([
    ['not YAML', 'server: [\n'],
    ['a list', '- a\n- b\n'],
    ['a string', 'hello\n'],
  ])('input that is not a config at all (%s) throws ERR_AWS_AUTH_INVALID', (_, text) => {
    expect(() => parseAuthenticatorConfig(text)).toThrow(AwsAuthError);
  });

  it('a non-string argument is a TypeError', () => {
    expect(() => parseAuthenticatorConfig({} as never)).toThrow(TypeError);
  });
});

describe('mapstructure decoding quirks (viper defaults: weak typing, string→slice on ",")', () => {
  it('groups written as one string are split on commas', () => {
    const c = parseAuthenticatorConfig(
      config(`mapRoles:\n- rolearn: arn:aws:iam::${A}:role/R\n  username: r\n  groups: a,b`),
    );
    expect(c.mapRoles[0]?.groups).toEqual(['a', 'b']);
    expect(c.diagnostics).toMatchObject([{ severity: 'warning', field: 'groups' }]);
  });

  it('one map where the list belongs is a one-entry list', () => {
    const c = parseAuthenticatorConfig(
      config(`mapUsers:\n  userarn: arn:aws:iam::${A}:user/Alice\n  username: alice`),
    );
    expect(c.mapUsers).toHaveLength(1);
    expect(c.diagnostics[0]?.severity).toBe('warning');
  });

  // README.md:522-524: "Always use quotes to avoid the account numbers being
  // recognized as numbers". Go's YAML drops the leading zero.
  it('an unquoted account with a leading zero never matches: dropped with an error', () => {
    const c = parseAuthenticatorConfig(
      config(`mapAccounts:\n- 012345678901\n- "012345678901"\n- 111122223333`),
    );
    expect(c.refusedBecause).toBeUndefined();
    expect(c.mapAccounts).toEqual(['012345678901', '111122223333']);
    expect(c.diagnostics).toMatchObject([
      { severity: 'error', key: 'mapAccounts', index: 0, line: 4 },
    ]);
  });

  it('an unquoted numeric username is warned about', () => {
    const c = parseAuthenticatorConfig(
      config(`mapUsers:\n- userarn: arn:aws:iam::${A}:user/Alice\n  username: 12345`),
    );
    expect(c.diagnostics).toMatchObject([
      { severity: 'warning', field: 'username', code: 'unquoted-scalar' },
    ]);
  });

  // viper reads the file with yaml.v3 (go.mod: github.com/spf13/viper v1.21.0 →
  // go.yaml.in/yaml/v3), which knows no YAML 1.1 "yes": unlike aws-auth, the
  // username stays the string "yes" (and an alias is followed as in aws-auth).
  it('an unquoted yes is a string here, and aliases are followed', async () => {
    const c = parseAuthenticatorConfig(
      config(
        `mapUsers:\n- userarn: arn:aws:iam::${A}:user/Alice\n  username: yes\n  groups: &g [team]\n- userarn: arn:aws:iam::${A}:user/Bob\n  username: bob\n  groups: *g`,
      ),
    );
    expect(c.diagnostics).toEqual([]);
    expect(c.mapUsers).toMatchObject([
      { username: 'yes', groups: ['team'] },
      { username: 'bob', groups: ['team'] },
    ]);
    expect(await mapIdentity(c, `arn:aws:iam::${A}:user/Alice`)).toMatchObject({ username: 'yes' });
  });
});

describe('entries are validated and canonicalized at load (pkg/mapper/file/mapper.go:34-62)', () => {
  it('an assumed-role rolearn is read as its role ARN, and matches that role (file/mapper.go:39-45)', async () => {
    const c = parseAuthenticatorConfig(
      config(
        `mapRoles:\n- rolearn: arn:aws:sts::${A}:assumed-role/Admin/someone\n  username: admin`,
      ),
    );
    expect(c.mapRoles[0]?.roleArn).toBe(`arn:aws:iam::${A}:role/Admin`);
    expect(c.diagnostics).toMatchObject([{ severity: 'warning', field: 'rolearn' }]);
    const m = await mapIdentity(c, `arn:aws:sts::${A}:assumed-role/Admin/bob`);
    expect(m).toMatchObject({ username: 'admin', source: 'MountedFile' });
  });

  it('an assumed-role userarn is read lower-cased and canonicalized (file/mapper.go:55)', () => {
    const c = parseAuthenticatorConfig(
      config(`mapUsers:\n- userarn: arn:aws:sts::${A}:assumed-role/Ops/x\n  username: ops`),
    );
    expect(c.mapUsers[0]?.userArn).toBe(`arn:aws:iam::${A}:role/ops`);
  });

  it.each([
    ['neither rolearn nor sso (config/mapper.go:37-38)', `mapRoles:\n- username: x`],
    [
      'both rolearn and sso (config/mapper.go:39-40)',
      `mapRoles:\n- rolearn: arn:aws:iam::${A}:role/R\n  sso: {permissionSetName: P, accountID: "${A}"}\n  username: x`,
    ],
    [
      'an sso account id that is not 12 digits (config/mapper.go:44-47)',
      `mapRoles:\n- sso: {permissionSetName: P, accountID: "123"}\n  username: x`,
    ],
    ['no userarn (config/mapper.go:116-118)', `mapUsers:\n- username: x`],
    [
      'an ARN Canonicalize refuses (file/mapper.go:40-43)',
      `mapRoles:\n- rolearn: arn:aws:s3:::bucket\n  username: x`,
    ],
    [
      'a username that is a map (mapstructure fails: cmd/aws-iam-authenticator/root.go:153-155)',
      `mapUsers:\n- userarn: arn:aws:iam::${A}:user/A\n  username: {a: b}`,
    ],
  ])('one bad entry stops the Go server, so nothing maps: %s', async (_, server) => {
    const c = parseAuthenticatorConfig(config(`${server}\nmapAccounts:\n- "${A}"`));
    expect(c.refusedBecause).toMatch(/invalid/);
    expect(c.mapRoles).toEqual([]);
    expect(c.mapUsers).toEqual([]);
    expect(c.mapAccounts).toEqual([]);
    expect(c.diagnostics.at(-1)).toMatchObject({
      severity: 'error',
      key: 'server',
      code: 'source-refused',
    });
    expect(c.diagnostics.every((d) => d.code !== undefined)).toBe(true);
    expect(await mapIdentity(c, `arn:aws:iam::${A}:user/Good`)).toBeNull();
  });

  it('a key given twice makes the file unreadable to viper (yaml.v3 refuses it)', () => {
    const c = parseAuthenticatorConfig(`server:\n  mapUsers: []\n  mapUsers: []\n`);
    expect(c.refusedBecause).toMatch(/twice/);
    expect(c.diagnostics[0]).toMatchObject({ key: 'server.mapUsers', line: 3 });
  });

  it('a later duplicate entry wins, with a warning (roleMap is keyed by ARN: file/mapper.go:46)', async () => {
    const c = parseAuthenticatorConfig(
      config(
        `mapRoles:\n- rolearn: arn:aws:iam::${A}:role/R\n  username: first\n- rolearn: arn:aws:iam::${A}:role/r\n  username: second`,
      ),
    );
    expect(c.diagnostics).toMatchObject([{ severity: 'warning', index: 1 }]);
    expect(await mapIdentity(c, `arn:aws:iam::${A}:role/R`)).toMatchObject({ username: 'second' });
  });
});

describe('server settings', () => {
  it.each([
    ['File', ['MountedFile']],
    ['ConfigMap', ['EKSConfigMap']],
  ])(
    'deprecated mode %s runs as its replacement (pkg/mapper/mapper.go:33-36, pkg/server/server.go:278-293)',
    (name, modes) => {
      const c = parseAuthenticatorConfig(config(`backendMode: [${name}]`));
      expect(c.backendMode).toEqual(modes);
      expect(c.refusedBecause).toBeUndefined();
      expect(c.diagnostics[0]?.severity).toBe('warning');
    },
  );

  it.each([
    ['an unknown mode (mapper.go:54-59)', 'backendMode: [Nope]'],
    ['a duplicate mode (mapper.go:67-69)', 'backendMode: [CRD, CRD]'],
    ['no mode (mapper.go:71-73)', 'backendMode: []'],
    [
      'DynamicFile without dynamicfilepath (cmd/aws-iam-authenticator/root.go:192-194)',
      'backendMode: [DynamicFile]',
    ],
    ['dynamicfilepath without DynamicFile (root.go:195-197)', 'dynamicfilepath: /x.json'],
  ])('%s refuses the file', (_, server) => {
    expect(parseAuthenticatorConfig(config(server)).refusedBecause).toBeDefined();
  });

  it('backendMode as a string is split on whitespace (viper GetStringSlice)', () => {
    const c = parseAuthenticatorConfig(config('backendMode: MountedFile CRD'));
    expect(c.backendMode).toEqual(['MountedFile', 'CRD']);
  });

  it('reservedPrefixConfig by backend mode; a later item for one mode replaces an earlier (root.go:159-168)', () => {
    const c = parseAuthenticatorConfig(
      config(`reservedPrefixConfig:
- backendmode: DynamicFile
  usernamePrefixReserveList: ["aws:", "system:"]
- backendMode: CRD
  usernamePrefixReserveList: ["x:"]
- backendMode: CRD
  usernamePrefixReserveList: ["eks:"]
- backendMode: File
  usernamePrefixReserveList: ["never:"]`),
    );
    expect(c.reservedPrefixConfig).toEqual({ DynamicFile: ['aws:', 'system:'], CRD: ['eks:'] });
    // Mappers look prefixes up under their own mode name (pkg/mapper/file/mapper.go:66).
    expect(c.diagnostics).toMatchObject([
      { severity: 'warning', key: 'server.reservedPrefixConfig[3].backendmode' },
    ]);
  });

  it('an entry whose username begins with a MountedFile reserved prefix is warned about at parse time', () => {
    const c = parseAuthenticatorConfig(
      config(
        `reservedPrefixConfig:\n- backendmode: MountedFile\n  usernamePrefixReserveList: ["system:"]\nmapUsers:\n- userarn: arn:aws:iam::${A}:user/A\n  username: system:admin`,
      ),
    );
    expect(c.diagnostics).toMatchObject([
      { severity: 'warning', key: 'mapUsers', field: 'username' },
    ]);
  });

  it.each([
    ['true', true],
    ['"1"', true],
    ['T', true],
    ['yes', false],
    ['false', false],
  ])('dynamicfileUserIDStrict: %s is %s (strconv.ParseBool)', (value, strict) => {
    const c = parseAuthenticatorConfig(
      config(
        `backendMode: [DynamicFile]\ndynamicfilepath: /d.json\ndynamicfileUserIDStrict: ${value}`,
      ),
    );
    expect(c.dynamicFileUserIdStrict).toBe(strict);
    expect(c.dynamicFilePath).toBe('/d.json');
  });
});
