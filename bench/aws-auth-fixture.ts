/**
 * Synthetic `aws-auth` ConfigMaps and identities for the mapping benchmark and
 * the memory soak. No library import: the soak's child process loads the
 * library under test itself.
 *
 * @module
 */

/** The account of entry `i`: 100 accounts, round robin. */
export function account(i: number): string {
  return String(100_000_000_000 + (i % 100));
}

/**
 * An `aws-auth` ConfigMap manifest with `size` entries: half `mapRoles`
 * (username templates, as node and SSO roles use), half `mapUsers`.
 */
export function awsAuthYaml(size: number): string {
  const roles: string[] = [];
  const users: string[] = [];
  for (let i = 0; i < size; i++) {
    if (i % 2 === 0) {
      roles.push(
        `    - rolearn: arn:aws:iam::${account(i)}:role/bench-role-${i}`,
        `      username: bench:{{AccountID}}:{{SessionName}}`,
        `      groups:`,
        `        - team-${i % 10}`,
        `        - bench:authenticated`,
      );
    } else {
      users.push(
        `    - userarn: arn:aws:iam::${account(i)}:user/bench-user-${i}`,
        `      username: bench-user-${i}`,
        `      groups:`,
        `        - team-${i % 10}`,
      );
    }
  }
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: aws-auth',
    '  namespace: kube-system',
    'data:',
    '  mapRoles: |',
    ...roles,
    '  mapUsers: |',
    ...users,
    '',
  ].join('\n');
}

/**
 * 1,024 identities drawn (seeded, so every run uses the same ones) from the
 * entries of a ConfigMap of `size`: 45% assumed-role sessions, 45% IAM users,
 * 10% ARNs that match nothing.
 */
export function identities(size: number): string[] {
  let seed = 0x2545f491;
  const next = (): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  const list: string[] = [];
  for (let k = 0; k < 1024; k++) {
    const pick = next();
    const i = Math.floor(next() * size);
    if (pick < 0.1) {
      list.push(`arn:aws:iam::${account(i)}:user/nobody-${k}`);
    } else if (i % 2 === 0) {
      list.push(`arn:aws:sts::${account(i)}:assumed-role/bench-role-${i}/session-${k}`);
    } else {
      list.push(`arn:aws:iam::${account(i)}:user/bench-user-${i}`);
    }
  }
  return list;
}
