/**
 * Every mapping parser refuses text over 1 MiB (the Kubernetes ConfigMap
 * limit, SPEC 4.1) before parsing any of it, unless `maxInputLength` says
 * otherwise, and never quotes the input when it refuses JSON.
 */
import { describe, expect, it } from 'vitest';
import {
  parseAccessEntries,
  parseAuthenticatorConfig,
  parseAwsAuth,
  parseDynamicFile,
  parseIdentityMappings,
} from '../../src/index.js';

const MIB = 1024 * 1024;
/** A comment line padded to `n` characters: valid YAML and cheap to parse, so the bound is what refuses it. */
const yamlOf = (n: number): string => `#${'x'.repeat(n - 1)}`;
const jsonOf = (n: number): string => `{"accessEntries": []${' '.repeat(n - 21)}}`;

const PARSERS: readonly [
  string,
  (text: string, options?: { maxInputLength?: number }) => unknown,
  (n: number) => string,
  string,
][] = [
  [
    'parseAwsAuth',
    (t, o) => parseAwsAuth(t, o),
    (n) => `data: {}\n${yamlOf(n - 9)}`,
    'ERR_AWS_AUTH_INVALID',
  ],
  ['parseAccessEntries', (t, o) => parseAccessEntries(t, o), jsonOf, 'ERR_ACCESS_ENTRIES_INVALID'],
  [
    'parseAuthenticatorConfig',
    (t, o) => parseAuthenticatorConfig(t, o),
    yamlOf,
    'ERR_AWS_AUTH_INVALID',
  ],
  ['parseIdentityMappings', (t, o) => parseIdentityMappings(t, o), yamlOf, 'ERR_AWS_AUTH_INVALID'],
  [
    'parseDynamicFile',
    (t, o) => parseDynamicFile(t, o),
    (n) => `{"mapRoles": []${' '.repeat(n - 16)}}`,
    'ERR_AWS_AUTH_INVALID',
  ],
];

describe.each(PARSERS)('%s', (name, parse, inputOf, code) => {
  it('reads exactly 1 MiB', () => {
    expect(inputOf(MIB)).toHaveLength(MIB);
    expect(() => parse(inputOf(MIB))).not.toThrow();
  });

  it('refuses 1 MiB and one character before parsing, with a typed error naming the bound', () => {
    expect(() => parse(inputOf(MIB + 1))).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining('maxInputLength') }),
    );
  });

  it('maxInputLength lowers and raises the bound', () => {
    expect(() => parse(inputOf(1000), { maxInputLength: 999 })).toThrow(
      expect.objectContaining({ code }),
    );
    expect(() => parse(inputOf(MIB + 1), { maxInputLength: MIB + 1 })).not.toThrow();
  });

  it.each([-1, 1.5, '1', Number.NaN, null])('maxInputLength %s is a TypeError', (bad) => {
    expect(() => parse('{}', { maxInputLength: bad as number })).toThrow(TypeError);
    expect(name).toBeTruthy();
  });
});

describe('JSON errors never quote the input', () => {
  it.each([
    ['parseDynamicFile', (t: string) => parseDynamicFile(t)],
    ['parseAccessEntries', (t: string) => parseAccessEntries(t)],
  ])(
    '%s: the message gives line and column, never the text (nor a cause that does)',
    (_name, parse) => {
      const hostile = '{\n  "mapRoles": [ \u001b[2J SECRET-TOKEN ]\n}';
      let error: unknown;
      try {
        parse(hostile);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(Error);
      const e = error as Error;
      expect(e.message).toMatch(/line 2, column \d+/);
      expect(e.message).not.toContain('SECRET');
      expect(e.message).not.toContain('\u001b');
      expect(String((e.cause as Error | undefined)?.message ?? '')).not.toContain('SECRET');
    },
  );
});
