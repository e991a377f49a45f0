/**
 * ConfigMaps the Kubernetes API server refuses as a whole: `kubectl apply`
 * fails, the cluster keeps the previous object, and the Go authenticator's
 * watch (pkg/mapper/configmap/configmap.go:59-98 at 81b1daba) never sees the
 * new one. parseAwsAuth says so with a fatal diagnostic and maps nothing;
 * a server reloading the file keeps its last good mappings (examples/webhook).
 *
 * Rules: kubernetes pkg/apis/core/validation/validation.go `ValidateConfigMap`
 * checks every data key with k8s.io/apimachinery
 * pkg/util/validation/validation.go `IsConfigMapKey` (`[-._a-zA-Z0-9]+`, at
 * most 253 bytes, not `.` and not starting with `..`). Its 1 MiB bound on
 * the values is parseAwsAuth's input limit, not a diagnostic.
 */
import { describe, expect, it } from 'vitest';
import { mapIdentity, parseAwsAuth } from '../../src/index.js';

const ROLE = 'arn:aws:iam::111122223333:role/Admin';
const CALLER = 'arn:aws:sts::111122223333:assumed-role/Admin/alice';
const MAP_ROLES = `- rolearn: ${ROLE}\n  username: admin\n  groups: [admins]\n`;

describe('data keys Kubernetes refuses: the whole ConfigMap is refused', () => {
  it.each<[string, string]>([
    ['a space', 'map roles'],
    ['a colon', 'mapRoles:v2'],
    ['a slash', 'aws/mapUsers'],
    ['non-ASCII', 'mäpUsers'],
    ["'.'", '.'],
    ["'..'", '..'],
    ["starting with '..'", '..data'],
    ['longer than 253 characters', 'k'.repeat(254)],
  ])('%s', async (_name, key) => {
    const parsed = parseAwsAuth({ mapRoles: MAP_ROLES, [key]: 'x' });
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ code: 'data-key-invalid', fatal: true, severity: 'error', key }),
    ]);
    expect(await mapIdentity(parsed, CALLER)).toBeNull();
  });

  it.each<[string, string]>([
    ['dots, dashes and underscores', 'map_roles.v2-old'],
    ['one dot inside', 'a.b'],
    ['253 characters', 'k'.repeat(253)],
  ])('a valid key (%s) is not a refusal', async (_name, key) => {
    const parsed = parseAwsAuth({ mapRoles: MAP_ROLES, [key]: 'x' });
    expect(parsed.diagnostics.some((d) => d.fatal === true)).toBe(false);
    expect(await mapIdentity(parsed, CALLER)).toMatchObject({ username: 'admin' });
  });

  it('the key is located in YAML text', () => {
    const parsed = parseAwsAuth(
      `data:\n  mapRoles: |\n    ${MAP_ROLES.trimEnd().replaceAll('\n', '\n    ')}\n  "bad key": x\n`,
    );
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ code: 'data-key-invalid', key: 'bad key', line: 6 }),
    ]);
  });
});
