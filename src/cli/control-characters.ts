/**
 * Raw control characters anywhere in a linted file: what a reviewer sees is
 * then not what Kubernetes stores or EKS reads. A bidirectional override
 * reorders the text on screen ("Trojan Source", CVE-2021-42574), NEL and
 * U+2028/U+2029 are line breaks for Go's YAML 1.1 reader but not for
 * editors, and C0/C1 controls are not allowed raw in YAML or JSON at all.
 * The parsers judge values; this looks at every character of the text,
 * comments and keys included, in one pass.
 *
 * @module
 */
import { codePointName } from '../util/control-characters.js';
import type { LintDiagnostic } from './lint-diagnostic.js';
import { UNSAFE_CHARACTERS } from './output.js';

/** What a character does, for the message. */
function kindOf(code: number): string {
  if (code === 0x85 || code === 0x2028 || code === 0x2029) {
    return "a line break for Go's YAML 1.1 reader (which EKS runs) but not for editors, so EKS reads other lines than a reviewer sees";
  }
  if (code === 0xfeff)
    return 'an invisible zero-width no-break space (byte order mark) inside the text';
  if (code === 0x061c || code >= 0x200e) {
    return 'an invisible bidirectional control: it reorders the text on screen (Trojan Source), so what a reviewer reads is not what EKS reads';
  }
  return 'a control character, which YAML and JSON do not allow raw (kubectl refuses the file) and a terminal acts on';
}

/**
 * One error per line that holds a raw control, bidirectional or
 * line-separator character (tab, line feed and carriage return excepted, and
 * a byte order mark at the very start), at the first such character.
 * Columns count UTF-16 code units from 1.
 */
export function controlCharacterDiagnostics(text: string): LintDiagnostic[] {
  const diagnostics: LintDiagnostic[] = [];
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  let reportedLine = 0;
  for (const match of text.matchAll(UNSAFE_CHARACTERS)) {
    const at = match.index;
    // Advance the line count over the text since the previous match: linear overall.
    for (let i = scanned; i < at; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
        line++;
        lineStart = i + 1;
      }
    }
    scanned = at;
    const code = text.charCodeAt(at);
    if (code === 0x09 || code === 0x0a || code === 0x0d || (code === 0xfeff && at === 0)) continue;
    if (line === reportedLine) continue;
    reportedLine = line;
    diagnostics.push({
      severity: 'error',
      code: 'control-character',
      key: '',
      line,
      fieldLine: line,
      column: at - lineStart + 1,
      message: `${codePointName(text.charAt(at))} is ${kindOf(code)}`,
      fix: 'delete it (and check the line reads as you meant without it)',
    });
  }
  return diagnostics;
}
