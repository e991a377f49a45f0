/**
 * Names of rendered resources (CloudFormation logical ids, Terraform
 * resource names): a readable part from the principal's IAM name plus a
 * short hash of the whole principal ARN. Stable: an entry keeps its name
 * when others are added or removed (a name by position would make
 * CloudFormation and Terraform replace every later entry, each replacement a
 * moment without access). Unique: two principals whose names read alike
 * (`1Admin` and `Admin`, `a-b` and `ab`, one name in two accounts) differ
 * by the hash, and a clash of the hash itself is refused, never merged.
 *
 * @module
 */
import { MigrationRenderError } from '../../errors.js';

const utf8 = new TextEncoder();
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

/** FNV-1a, 64 bits, of the UTF-8 bytes of `text`, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (const byte of utf8.encode(text)) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * FNV_PRIME);
  }
  return hash.toString(16).padStart(16, '0');
}

/** The IAM name of a principal ARN (after its last `/`), for readable names. */
export function principalName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Digits of the hash kept in a name: 48 bits, so a clash needs millions of principals. */
const HASH_DIGITS = 12;

/**
 * A stable, unique name for each ARN, made by `build(readable, hash)` where
 * `readable` is the principal's IAM name with every character outside
 * `allowed` removed (at most 40 left) and `hash` the ARN's short hash.
 *
 * @throws `MigrationRenderError` if two ARNs get one name (a hash clash).
 */
export function stableNames(
  arns: readonly string[],
  allowed: RegExp,
  build: (readable: string, hash: string) => string,
): string[] {
  const taken = new Map<string, string>();
  return arns.map((arn) => {
    const readable = [...principalName(arn)]
      .filter((c) => allowed.test(c))
      .join('')
      .slice(0, 40);
    const name = build(readable, fnv1a64(arn).slice(0, HASH_DIGITS));
    const other = taken.get(name);
    if (other !== undefined && other !== arn) {
      throw new MigrationRenderError(
        'name-clash',
        `two principals get the resource name ${name}; rename one or render them separately`,
      );
    }
    taken.set(name, arn);
    return name;
  });
}
