/**
 * parseDynamicFile: the Go authenticator's DynamicFile. Go facts cite
 * kubernetes-sigs/aws-iam-authenticator at 81b1daba.
 */
import { describe, expect, it } from 'vitest';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import { AwsAuthError } from '../../src/errors.js';
import { parseDynamicFile } from '../../src/sources/dynamic-file.js';
import type { VerifiedIdentity } from '../../src/token/verify.js';

const A = '111122223333';

function verified(role: string, userId: string, session = 'alice'): VerifiedIdentity {
  return {
    arn: `arn:aws:sts::${A}:assumed-role/${role}/${session}`,
    canonicalArn: `arn:aws:iam::${A}:role/${role}`,
    principalType: 'assumed-role',
    accountId: A,
    userId,
    sessionName: session,
    accessKeyId: 'ASIAEXAMPLE',
    partition: 'aws',
  } as VerifiedIdentity;
}

// hack/dev/access-entries.template: the shape the Go e2e tests write.
const FILE = JSON.stringify(
  {
    LastUpdatedDateTime: '1700000000',
    Version: '7',
    mapRoles: [
      {
        rolearn: `arn:aws:iam::${A}:role/Admin`,
        username: 'kubernetes-admin',
        groups: ['system:masters'],
        userid: 'AROAADMIN',
      },
    ],
    mapUsers: [
      {
        userarn: `arn:aws:iam::${A}:user/Alice`,
        username: 'alice',
        groups: [],
        userid: 'AIDAALICE',
      },
    ],
    mapAccounts: ['444455556666'],
  },
  null,
  2,
);

describe('reading (pkg/mapper/dynamicfile/dynamicfile.go:33-47)', () => {
  it('the file, with lines, header fields and entries', () => {
    const d = parseDynamicFile(FILE);
    expect(d).toMatchObject({
      mode: 'DynamicFile',
      userIdStrict: false,
      lastUpdatedDateTime: '1700000000',
      version: '7',
    });
    // Keyed by the lower-cased canonical ARN (dynamicfile.go:79, 86).
    expect(d.mapRoles).toEqual([
      {
        roleArn: `arn:aws:iam::${A}:role/admin`,
        username: 'kubernetes-admin',
        groups: ['system:masters'],
        userId: 'AROAADMIN',
        index: 0,
        line: 5,
      },
    ]);
    expect(d.mapAccounts).toEqual(['444455556666']);
    expect(d.diagnostics).toEqual([]);
    expect(Object.isFrozen(d.mapRoles)).toBe(true);
  });

  it("field names are case-insensitive, as Go's encoding/json matches them", () => {
    const d = parseDynamicFile(
      `{"MAPROLES":[{"RoleArn":"arn:aws:iam::${A}:role/R","UserName":"r"}]}`,
    );
    expect(d.mapRoles).toMatchObject([{ username: 'r' }]);
  });

  it('an object is accepted as well as text', () => {
    expect(parseDynamicFile(JSON.parse(FILE) as object).mapUsers).toHaveLength(1);
  });

  it.each([
    ['not JSON', '{"mapRoles": [}'],
    ['YAML, not JSON', 'mapRoles: []'],
    ['a JSON array', '[]'],
  ])('%s throws ERR_AWS_AUTH_INVALID (dynamicfile.go:148-152)', (_, text) => {
    expect(() => parseDynamicFile(text)).toThrow(AwsAuthError);
  });

  it.each([[{ userIdStrict: 'yes' }], [null]])('bad options %j are a TypeError', (options) => {
    expect(() => parseDynamicFile(FILE, options as never)).toThrow(TypeError);
  });
});

describe('the Go loader refuses the whole file (and keeps its previous mappings)', () => {
  it.each([
    [
      'a number where a string belongs (json.Unmarshal fails: dynamicfile.go:148-152)',
      `{"mapRoles":[{"rolearn":"arn:aws:iam::${A}:role/R","username":7}]}`,
    ],
    [
      'groups as a string',
      `{"mapUsers":[{"userarn":"arn:aws:iam::${A}:user/U","username":"u","groups":"admins"}]}`,
    ],
    ['a numeric account', `{"mapAccounts":[111122223333]}`],
    ['a numeric Version', `{"Version":7}`],
    ['an entry without rolearn (dynamicfile.go:166-176)', `{"mapRoles":[{"username":"r"}]}`],
    ['an entry that is null (dynamicfile.go:154-164)', `{"mapUsers":[null]}`],
  ])('%s', (_, text) => {
    const d = parseDynamicFile(text);
    expect(d.refusedBecause).toBeDefined();
    expect(d.mapRoles).toEqual([]);
    expect(d.mapUsers).toEqual([]);
    expect(d.diagnostics.at(-1)).toMatchObject({ severity: 'error', key: 'DynamicFile' });
  });

  it('good entries beside a bad one are not used either', async () => {
    const d = parseDynamicFile(
      `{"mapRoles":[{"rolearn":"arn:aws:iam::${A}:role/Good","username":"good"},{"username":"no-arn"}]}`,
    );
    expect(d.diagnostics).toMatchObject([
      { key: 'mapRoles', index: 1, line: 1, code: 'entry-missing-arn' },
      { key: 'DynamicFile', code: 'source-refused' },
    ]);
    expect(await mapIdentity(d, `arn:aws:iam::${A}:role/Good`)).toBeNull();
  });

  it('in user-id-strict mode every entry needs userid, not an ARN (dynamicfile.go:155-158, 167-170)', () => {
    const d = parseDynamicFile(
      `{"mapRoles":[{"rolearn":"arn:aws:iam::${A}:role/R","username":"r"}]}`,
      {
        userIdStrict: true,
      },
    );
    expect(d.refusedBecause).toMatch(/userid/);
  });
});

describe('entries that load but never match, and ignored fields', () => {
  it('an ARN Canonicalize refuses is dropped (keyed by "" in Go: dynamicfile.go:79)', () => {
    const d = parseDynamicFile(
      `{"mapRoles":[{"rolearn":"arn:aws:s3:::b","username":"x"},{"rolearn":"arn:aws:iam::${A}:role/R","username":"r"}]}`,
    );
    expect(d.refusedBecause).toBeUndefined();
    expect(d.mapRoles).toMatchObject([{ username: 'r', index: 1 }]);
    expect(d.diagnostics).toMatchObject([{ severity: 'error', index: 0, field: 'rolearn' }]);
  });

  it('sso is ignored: the entry matches by its rolearn', async () => {
    const d = parseDynamicFile(
      `{"mapRoles":[{"rolearn":"arn:aws:iam::${A}:role/R","sso":{"permissionSetName":"P","accountID":"${A}"},"username":"r"}]}`,
    );
    expect(d.diagnostics).toMatchObject([{ severity: 'warning', field: 'sso' }]);
    expect(
      await mapIdentity(d, `arn:aws:sts::${A}:assumed-role/R/s`, { ssoRoleMatch: true }),
    ).toMatchObject({ username: 'r' });
  });

  it('without strict mode, userid is ignored: any principal with the ARN matches (dynamicfile/mapper.go:47-52)', async () => {
    const d = parseDynamicFile(FILE);
    expect(await mapIdentity(d, verified('Admin', 'AROAOTHER'))).toMatchObject({
      username: 'kubernetes-admin',
    });
  });
});

describe('user-id-strict matching (pkg/mapper/dynamicfile/mapper.go:46-93)', () => {
  const strict = (text: string): ReturnType<typeof parseDynamicFile> =>
    parseDynamicFile(text, { userIdStrict: true });

  it.each([
    ['the principal id and ARN agree', verified('Admin', 'AROAADMIN'), 'kubernetes-admin'],
    // A recreated role keeps its name but gets a new id: no longer mapped.
    ['the same ARN with another principal id', verified('Admin', 'AROANEW'), null],
    // mapper.go:87-89: the id matched but the ARN is another role's.
    ['the principal id of the entry but another role', verified('Other', 'AROAADMIN'), null],
  ])('%s', async (_, identity, username) => {
    const m = await mapIdentity(strict(FILE), identity);
    if (username === null) expect(m).toBeNull();
    else
      expect(m).toMatchObject({
        username,
        matchedBy: 'mapRoles',
        entryIndex: 0,
        source: 'DynamicFile',
      });
  });

  it('an entry without an ARN matches on the principal id alone (mapper.go:76-79)', async () => {
    const d = strict(
      `{"mapRoles":[{"userid":"AROAOPS","username":"ops:{{SessionName}}","groups":["g"]}]}`,
    );
    expect(d.mapRoles).toEqual([
      {
        roleArn: '',
        username: 'ops:{{SessionName}}',
        groups: ['g'],
        userId: 'AROAOPS',
        index: 0,
        line: 1,
      },
    ]);
    expect(await mapIdentity(d, verified('Anything', 'AROAOPS', 'bob'))).toMatchObject({
      username: 'ops:bob',
      groups: ['g'],
    });
  });

  it("a role path in the entry's ARN is stripped before comparing (mapper.go:80, pkg/arn/arn.go:84-108)", async () => {
    const d = strict(
      `{"mapRoles":[{"rolearn":"arn:aws:iam::${A}:role/team/Admin","userid":"AROAADMIN","username":"a"}]}`,
    );
    expect(await mapIdentity(d, verified('Admin', 'AROAADMIN'))).toMatchObject({ username: 'a' });
  });

  it('a role entry for the id decides alone: on an ARN mismatch the users are not tried (mapper.go:54-58)', async () => {
    const d = strict(
      `{"mapRoles":[{"rolearn":"arn:aws:iam::${A}:role/Other","userid":"AROAX","username":"role"}],"mapUsers":[{"userid":"AROAX","username":"user"}]}`,
    );
    expect(await mapIdentity(d, verified('Admin', 'AROAX'))).toBeNull();
  });

  it('an ARN string carries no principal id: only the account list can match it', async () => {
    const d = strict(FILE);
    expect(await mapIdentity(d, `arn:aws:sts::${A}:assumed-role/Admin/x`)).toBeNull();
    expect(await mapIdentity(d, 'arn:aws:iam::444455556666:user/z')).toMatchObject({
      matchedBy: 'mapAccounts',
    });
  });
});
