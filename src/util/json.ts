/**
 * JSON text parsed without echoing it: the engine's `SyntaxError` quotes the
 * input around the fault (`Unexpected token 'x', "…" is not valid JSON`),
 * and input is hostile (it may hold secrets or terminal escapes), so a
 * failure is said by line and column only and the engine's error is not kept.
 *
 * @module
 */

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** The characters a `\` may stand before in JSON (RFC 8259 section 7), `u` apart. */
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX_DIGIT = /^[0-9a-fA-F]{4}$/;

/**
 * The offset just past the JSON string starting at `start` (a `"`), or -1
 * if there is none there. A loop over the characters: a regex with an
 * alternation under `*` keeps one backtracking entry per character, and
 * V8 throws a `RangeError` on a string of a few MB.
 */
function stringEnd(text: string, start: number): number {
  if (text.charCodeAt(start) !== QUOTE) return -1;
  for (let i = start + 1; i < text.length;) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) return i + 1;
    // JSON forbids raw control characters in strings (RFC 8259 section 7).
    if (code < 0x20) return -1;
    if (code !== BACKSLASH) {
      i += 1;
      continue;
    }
    const escaped = text[i + 1];
    if (escaped === 'u') {
      if (!HEX_DIGIT.test(text.slice(i + 2, i + 6))) return -1;
      i += 6;
    } else if (escaped !== undefined && SIMPLE_ESCAPES.has(escaped)) i += 2;
    else return -1;
  }
  return -1;
}

/** Offset of the first character where `text` stops being JSON (a linear scan, no recursion). */
function faultOffset(text: string): number {
  let i = 0;
  const skip = (): void => {
    while (i < text.length && WS.has(text[i] as string)) i += 1;
  };
  const sticky = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  const string = (): boolean => {
    const end = stringEnd(text, i);
    if (end === -1) return false;
    i = end;
    return true;
  };
  // Each frame: the container and what it expects next.
  const stack: { close: string; expect: 'value' | 'key' | 'sep' | 'colon' }[] = [];
  let expectValue = true;
  for (;;) {
    skip();
    const top = stack[stack.length - 1];
    const c = text[i];
    if (expectValue) {
      if (c === '{' || c === '[') {
        stack.push({ close: c === '{' ? '}' : ']', expect: c === '{' ? 'key' : 'value' });
        i += 1;
        skip();
        if (text[i] === stack[stack.length - 1]?.close) {
          stack.pop();
          i += 1;
          expectValue = false;
        } else expectValue = c === '[';
        continue;
      }
      const ok =
        string() ||
        sticky(NUMBER) ||
        ['true', 'false', 'null'].some((w) => text.startsWith(w, i) && ((i += w.length), true));
      if (!ok) return i;
      expectValue = false;
      continue;
    }
    if (top === undefined) return i < text.length ? i : text.length;
    if (top.expect === 'key') {
      if (!string()) return i;
      top.expect = 'colon';
      continue;
    }
    if (top.expect === 'colon') {
      if (c !== ':') return i;
      i += 1;
      top.expect = 'sep';
      expectValue = true;
      continue;
    }
    // After a value inside a container: `,` or the close.
    if (c === ',') {
      i += 1;
      if (top.close === '}') top.expect = 'key';
      else expectValue = true;
      continue;
    }
    if (c === top.close) {
      stack.pop();
      i += 1;
      continue;
    }
    return i;
  }
}

/** The value of a JSON text, or where it stops being JSON (line and column, 1-based). */
export function parseJson(text: string): { value: unknown } | { problem: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    const offset = Math.min(faultOffset(text), text.length);
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line += 1;
      lineStart = i + 1;
    }
    return { problem: `not JSON (line ${line}, column ${offset - lineStart + 1})` };
  }
}
