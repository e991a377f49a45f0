/**
 * Which sessions of a principal render a given name: a username (or group)
 * template such as `dev:{{SessionName}}` against an RBAC subject such as
 * `dev:alice`. Linear in the name: the template's literal parts are checked
 * at the places they must be, never searched for.
 *
 * @module
 */

/** The placeholders whose value differs between sessions of one principal. */
export type SessionPlaceholder =
  'SessionName' | 'SessionNameRaw' | 'AccessKeyID' | 'EC2PrivateDNSName';

/** A template: literal text and placeholders, in order. */
export type TemplatePart = string | { readonly placeholder: SessionPlaceholder };

/** What a value must look like to be one a caller can have (STS and EC2 naming rules). */
const VALID: Record<SessionPlaceholder, RegExp> = {
  // RoleSessionName: [\w+=,.@-]{2,64}; {{SessionName}} renders "@" as "-", so never has one.
  SessionName: /^[\w+=,.-]{2,64}$/,
  SessionNameRaw: /^[\w+=,.@-]{2,64}$/,
  AccessKeyID: /^[A-Z0-9]{16,128}$/,
  EC2PrivateDNSName: /^[A-Za-z0-9][A-Za-z0-9.-]*$/,
};

/** The template as text, placeholders written `{{Name}}`. */
export function templateText(parts: readonly TemplatePart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : `{{${p.placeholder}}}`)).join('');
}

/** The literal text before the first placeholder (every name the template renders starts with it). */
export function templatePrefix(parts: readonly TemplatePart[]): string {
  const first = parts[0];
  return typeof first === 'string' ? first : '';
}

/** True when the template has a placeholder. */
export function isTemplated(parts: readonly TemplatePart[]): boolean {
  return parts.some((p) => typeof p !== 'string');
}

/** The outcome of {@link matchTemplate}. */
export type TemplateMatch =
  | { readonly values: Readonly<Partial<Record<SessionPlaceholder, string>>> }
  | 'no-match'
  | 'undecidable';

/**
 * The placeholder values that make `parts` render `name`. Templates with
 * one kind of placeholder (once or repeated) are decided exactly; with
 * several kinds the split is ambiguous and the answer is `undecidable`.
 */
export function matchTemplate(parts: readonly TemplatePart[], name: string): TemplateMatch {
  let kind: SessionPlaceholder | undefined;
  let count = 0;
  let literalLength = 0;
  for (const part of parts) {
    if (typeof part === 'string') literalLength += part.length;
    else {
      if (kind !== undefined && kind !== part.placeholder) return 'undecidable';
      kind = part.placeholder;
      count += 1;
    }
  }
  if (kind === undefined) return parts.join('') === name ? { values: {} } : 'no-match';
  const spare = name.length - literalLength;
  if (spare < 0 || spare % count !== 0) return 'no-match';
  const size = spare / count;
  let at = 0;
  let value: string | undefined;
  for (const part of parts) {
    if (typeof part === 'string') {
      if (!name.startsWith(part, at)) return 'no-match';
      at += part.length;
    } else {
      const piece = name.slice(at, at + size);
      if (value !== undefined && piece !== value) return 'no-match';
      value = piece;
      at += size;
    }
  }
  if (value === undefined || !VALID[kind].test(value)) return 'no-match';
  return { values: { [kind]: value } };
}

/** The condition in words, for people. */
export function describeValues(
  values: Readonly<Partial<Record<SessionPlaceholder, string>>>,
): string {
  const words: string[] = [];
  for (const [placeholder, value] of Object.entries(values) as [SessionPlaceholder, string][]) {
    switch (placeholder) {
      case 'SessionName':
        words.push(
          `role sessions named "${value}"${value.includes('-') ? ' (or with "@" for any "-")' : ''}`,
        );
        break;
      case 'SessionNameRaw':
        words.push(`role sessions named "${value}"`);
        break;
      case 'AccessKeyID':
        words.push(`tokens signed with access key ${value}`);
        break;
      case 'EC2PrivateDNSName':
        words.push(`the EC2 instance whose private DNS name is "${value}"`);
        break;
    }
  }
  return words.join(' and ');
}
