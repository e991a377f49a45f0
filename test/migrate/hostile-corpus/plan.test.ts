/**
 * The hostile corpus through the reader, the linter and the planner: every
 * value reads back exactly from the ConfigMap, every value no format may
 * carry is a lint error and a loss (never planned), everything else is
 * planned as written, and every format prints only printable ASCII and no
 * line a GitHub Actions runner reads as a workflow command.
 */
import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../../../src/aws-auth/parse.js';
import { renderMigration } from '../../../src/migrate/render/index.js';
import type { MigrationFormat } from '../../../src/migrate/render/index.js';
import { hasDynamicReference } from '../../../src/util/dynamic-reference.js';
import { findControlCharacter } from '../../../src/util/control-characters.js';
import {
  hasLegacyCommand,
  parseWorkflowCommand,
  REGISTERED_COMMANDS,
} from '../../support/workflow-commands.js';
import { CORPUS, isUnsafe, mapRolesText, placements, role, widePlan } from './corpus.js';

const { plan, requests, entries } = widePlan();

describe('the hostile corpus', () => {
  it('holds at least 300 distinct values of every kind the renderers must survive', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(CORPUS.map((c) => c.value)).size).toBe(CORPUS.length);
    expect(new Set(CORPUS.map((c) => c.category))).toEqual(
      new Set([
        'option-like',
        'url-like',
        'terraform-template',
        'cloudformation',
        'quote',
        'shell',
        'backslash',
        'whitespace',
        'c0',
        'del-c1',
        'bidi-separator',
        'yaml',
        'hcl',
        'long',
        'unicode',
        'workflow-command',
      ]),
    );
  });

  it('reads back from the ConfigMap exactly (username and group of every entry)', () => {
    const awsAuth = parseAwsAuth({ mapRoles: mapRolesText(entries) });
    expect(awsAuth.mapRoles.map((e) => [e.username, e.groups])).toEqual(
      entries.map((e) => [e.username, e.groups]),
    );
  });

  it('lints every value no format may carry as an error, and no other value for that reason', () => {
    const awsAuth = parseAwsAuth({ mapRoles: mapRolesText(entries) });
    const flagged = new Map<number, Set<string>>();
    for (const d of awsAuth.diagnostics) {
      if (d.severity === 'error' && d.index !== undefined && d.field === 'username') {
        flagged.set(d.index, (flagged.get(d.index) ?? new Set()).add(d.code ?? ''));
      }
    }
    CORPUS.forEach(({ value }, i) => {
      const codes = flagged.get(i) ?? new Set<string>();
      expect(codes.has('control-character'), JSON.stringify(value)).toBe(
        findControlCharacter(value) !== undefined,
      );
      expect(codes.has('dynamic-reference'), JSON.stringify(value)).toBe(
        hasDynamicReference(value),
      );
    });
  });

  it('makes every unsafe value a loss, plans none of them, and check() is not equivalent', async () => {
    const unsafe = CORPUS.filter(({ value }) => isUnsafe(value));
    expect(unsafe.length).toBeGreaterThan(80);
    const planned = new Set(placements(requests).map(([, v]) => v));
    for (const { value } of unsafe) expect(planned.has(value), JSON.stringify(value)).toBe(false);
    // Username and group of each such entry: two losses with its index.
    const lossCodes = new Map<number, string[]>();
    for (const l of plan.losses)
      lossCodes.set(l.index, [...(lossCodes.get(l.index) ?? []), l.code]);
    CORPUS.forEach(({ value }, i) => {
      if (!isUnsafe(value)) return;
      const code =
        findControlCharacter(value) !== undefined ? 'control-character' : 'dynamic-reference';
      expect(lossCodes.get(i), JSON.stringify(value)).toEqual([code, code]);
    });
    expect(plan.canSwitchToApi).toBe(false);
    expect((await plan.check()).equivalent).toBe(false);
  });

  it('plans every other value as written, in its group, its username and its role path', () => {
    const byIndex = new Map(
      requests.map((r) => [/\/corpus-(\d+)$/.exec(r.create.principalArn)?.[1], r.create]),
    );
    CORPUS.forEach(({ value }, i) => {
      if (isUnsafe(value)) return;
      const create = byIndex.get(String(i));
      expect(create, JSON.stringify(value)).toBeDefined();
      const kept = !value.startsWith('system:') && !value.includes('{{') && !value.includes('<<');
      expect(create?.kubernetesGroups ?? [], JSON.stringify(value)).toEqual(kept ? [value] : []);
    });
    const arns = new Set(requests.map((r) => r.create.principalArn));
    expect(arns.has(role('--cluster-name=other'))).toBe(true);
    const file = CORPUS.findIndex((c) => c.value === '${file("/etc/passwd")}');
    expect(arns.has(role(`\${file("/etc/passwd")}/corpus-${file}`))).toBe(true);
  });

  it('quotes values in diagnostics, fixes, losses and warnings with control characters escaped', () => {
    const awsAuth = parseAwsAuth({ mapRoles: mapRolesText(entries) });
    const texts = [
      ...awsAuth.diagnostics.flatMap((d) => [d.message, d.fix ?? '']),
      ...plan.losses.map((l) => l.message),
      ...plan.warnings.map((w) => w.message),
    ];
    expect(texts.length).toBeGreaterThan(CORPUS.length);
    for (const text of texts) expect(findControlCharacter(text), text).toBeUndefined();
  });

  it.each<MigrationFormat>(['json', 'aws-cli', 'cloudformation', 'terraform'])(
    '%s prints only printable ASCII',
    (format) => {
      // Terraform refuses values not in Unicode NFC (terraform.test.ts); CloudFormation
      // holds 500 resources.
      const source = format === 'terraform' ? widePlan((v) => v.normalize('NFC') === v).plan : plan;
      const chunk = { ...source, entries: source.entries.slice(0, 400) };
      expect(renderMigration(chunk, { format })).toMatch(/^[\n\x20-\x7e]*$/);
    },
  );

  // Regression: "##[" was left as is, so a username "##[add-mask]x" or a group
  // "##[error]y" was a live command in a CI log showing the plan.
  it.each<MigrationFormat>(['json', 'aws-cli', 'cloudformation', 'terraform'])(
    '%s prints no line a GitHub Actions runner reads as a workflow command',
    (format) => {
      const source = format === 'terraform' ? widePlan((v) => v.normalize('NFC') === v).plan : plan;
      const chunk = { ...source, entries: source.entries.slice(0, 400) };
      const text = renderMigration(chunk, { format });
      expect(text).toContain('##\\u005badd-mask]x');
      const commands = text
        .split('\n')
        .filter(
          (line) =>
            parseWorkflowCommand(line, REGISTERED_COMMANDS) !== undefined ||
            hasLegacyCommand(line, REGISTERED_COMMANDS),
        );
      expect(commands).toEqual([]);
    },
  );

  it('the JSON format gives back the requests', () => {
    const json = JSON.parse(renderMigration(plan, { format: 'json' })) as {
      createAccessEntry: unknown[];
      associateAccessPolicy: unknown[];
    };
    expect(json.createAccessEntry).toEqual(requests.map((r) => r.create));
    expect(json.associateAccessPolicy).toEqual(requests.flatMap((r) => r.associate));
  });
});
