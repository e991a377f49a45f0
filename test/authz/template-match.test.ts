/**
 * Which sessions render a name: the username template against an RBAC
 * subject. Session names follow STS's RoleSessionName rule
 * (`[\w+=,.@-]{2,64}`, AWS STS API reference, AssumeRole), and
 * `{{SessionName}}` renders "@" as "-" (aws-iam-authenticator
 * pkg/server/server.go, renderTemplate), so it never renders an "@".
 */
import { describe, expect, it } from 'vitest';
import { describeValues, matchTemplate } from '../../src/authz/template-match.js';
import type { TemplatePart } from '../../src/authz/template-match.js';

const S = { placeholder: 'SessionName' } as const;
const RAW = { placeholder: 'SessionNameRaw' } as const;
const KEY = { placeholder: 'AccessKeyID' } as const;
const DNS = { placeholder: 'EC2PrivateDNSName' } as const;

describe('matchTemplate', () => {
  it.each<[string, TemplatePart[], string, unknown]>([
    ['prefix and session', ['dev:', S], 'dev:alice', { values: { SessionName: 'alice' } }],
    ['session in the middle', ['u-', S, '-x'], 'u-bob-x', { values: { SessionName: 'bob' } }],
    ['the same session twice', [S, ':', S], 'ab:ab', { values: { SessionName: 'ab' } }],
    ['the same session twice, differing', [S, ':', S], 'ab:cd', 'no-match'],
    ['another prefix', ['dev:', S], 'ops:alice', 'no-match'],
    ['too short to hold a session', ['dev:', S], 'dev:a', 'no-match'],
    ['a colon is no session name character', ['dev:', S], 'dev:a:b', 'no-match'],
    ['{{SessionName}} never renders "@"', ['dev:', S], 'dev:a@b', 'no-match'],
    [
      '{{SessionNameRaw}} keeps "@"',
      ['dev:', RAW],
      'dev:a@b.c',
      { values: { SessionNameRaw: 'a@b.c' } },
    ],
    [
      'an access key',
      ['k-', KEY],
      'k-AKIAABCDEFGHIJKLMNOP',
      { values: { AccessKeyID: 'AKIAABCDEFGHIJKLMNOP' } },
    ],
    ['not an access key', ['k-', KEY], 'k-lowercase-key-here', 'no-match'],
    [
      'a node name',
      ['system:node:', DNS],
      'system:node:ip-10-0-0-1.ec2.internal',
      { values: { EC2PrivateDNSName: 'ip-10-0-0-1.ec2.internal' } },
    ],
    ['no placeholder, equal', ['literal'], 'literal', { values: {} }],
    ['no placeholder, different', ['literal'], 'other', 'no-match'],
    ['two kinds of placeholder', [S, '-', KEY], 'a-b-AKIAABCDEFGHIJKLMNOP', 'undecidable'],
  ])('%s', (_name, template, name, expected) => {
    expect(matchTemplate(template, name)).toEqual(expected);
  });

  it('is linear: a long hostile name is decided at once', () => {
    const name = `dev:${'a'.repeat(1_000_000)}`;
    expect(matchTemplate(['dev:', S, ':', S], name)).toBe('no-match');
  });
});

describe('describeValues', () => {
  it.each<[Record<string, string>, string]>([
    [{ SessionName: 'alice' }, 'role sessions named "alice"'],
    [
      { SessionName: 'bob-example.com' },
      'role sessions named "bob-example.com" (or with "@" for any "-")',
    ],
    [{ AccessKeyID: 'AKIAABCDEFGHIJKLMNOP' }, 'tokens signed with access key AKIAABCDEFGHIJKLMNOP'],
  ])('%j', (values, text) => {
    expect(describeValues(values)).toBe(text);
  });
});
