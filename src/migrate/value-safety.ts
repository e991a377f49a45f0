/**
 * Which values may cross from a ConfigMap into a rendered plan (SPEC
 * 4.7.1). An aws-auth is written by people with cluster rights; the plan is
 * run by people with AWS rights, through tools that act on some text: a
 * value with a control character (a shell argument cannot hold NUL, YAML 1.1
 * folds NEL, a reviewer cannot see a bidi override) or a CloudFormation
 * dynamic reference (resolved at deploy time, with no escape) is a loss,
 * in every format, and never rendered.
 *
 * @module
 */
import { codePointName, findControlCharacter } from '../util/control-characters.js';
import { hasDynamicReference } from '../util/dynamic-reference.js';
import type { MigrationTarget } from './types.js';

/** Why a value cannot be rendered: a loss code and what the value contains. */
export interface UnsafeValue {
  /** `control-character` or `dynamic-reference`. */
  readonly code: 'control-character' | 'dynamic-reference';
  /** What the value contains, for a message (never the raw character). */
  readonly reason: string;
}

/** Why `value` must not be rendered, or `undefined` when it is safe. */
export function unsafeValue(value: string): UnsafeValue | undefined {
  const control = findControlCharacter(value);
  if (control !== undefined) {
    return {
      code: 'control-character',
      reason: `contains the control character ${codePointName(control)}, which a reviewer cannot see and the tools that run the plan change or cut`,
    };
  }
  if (hasDynamicReference(value)) {
    return {
      code: 'dynamic-reference',
      reason:
        'contains "{{resolve:", a CloudFormation dynamic reference that CloudFormation would replace with a secret at deploy time',
    };
  }
  return undefined;
}

// "alphanumeric characters (case-sensitive), hyphens, and underscores", first
// alphanumeric, at most 100 (CreateCluster, AWS EKS API reference).
const CLUSTER_NAME = /^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$/;

/**
 * True if `name` is a valid EKS cluster name (written into every rendered
 * request, and into the comment or Description that heads each format).
 */
export function isClusterName(name: unknown): name is string {
  return typeof name === 'string' && CLUSTER_NAME.test(name);
}

const TARGETS: ReadonlySet<unknown> = new Set<MigrationTarget>(['API', 'API_AND_CONFIG_MAP']);

/**
 * True if `value` is a mode a plan can switch to (`API` or
 * `API_AND_CONFIG_MAP`): the only text besides the cluster name and the
 * entry count that the renderers write into a comment or a Description.
 */
export function isMigrationTarget(value: unknown): value is MigrationTarget {
  return TARGETS.has(value);
}
