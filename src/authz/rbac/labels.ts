/**
 * Kubernetes labels and label selectors, as the API server validates them
 * (k8s.io/apimachinery pkg/util/validation `IsQualifiedName`,
 * `IsValidLabelValue`, `IsDNS1123Label`, `IsDNS1123Subdomain`) and as
 * `metav1.LabelSelectorAsSelector` matches them: `matchLabels` and
 * `matchExpressions` (`In`, `NotIn`, `Exists`, `DoesNotExist`), all of which
 * must hold; an empty selector matches everything. Every check is a bounded
 * length test plus a non-backtracking pattern.
 *
 * @module
 */
import type { RbacLabelSelector } from './types.js';

// validation.go: qualifiedNameFmt and labelValueFmt share this shape.
const NAME_PART = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/** `IsDNS1123Label`: at most 63 lower-case alphanumerics and `-`, alphanumeric at both ends. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** `IsDNS1123Subdomain`: at most 253 characters of dot-separated DNS-1123 labels. */
export function isDns1123Subdomain(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  for (const part of value.split('.')) if (!DNS1123_LABEL.test(part)) return false;
  return true;
}

/** Why `key` is not a valid label key (`IsQualifiedName`), or `undefined` when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (slash !== -1) {
    const prefix = key.slice(0, slash);
    if (!isDns1123Subdomain(prefix)) {
      return 'the prefix before "/" must be a lower-case DNS subdomain';
    }
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    return 'a label name is 1 to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit, after an optional DNS prefix and "/"';
  }
  return undefined;
}

/** Why `value` is not a valid label value (`IsValidLabelValue`), or `undefined` when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > 63 || !NAME_PART.test(value)) {
    return 'a label value is empty or up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Whether a ClusterRole's labels satisfy `selector` (labels.Selector.Matches). */
export function selectorMatches(
  selector: RbacLabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions) {
    const has = Object.hasOwn(labels, req.key);
    switch (req.operator) {
      case 'In':
        if (!has || !req.values.includes(labels[req.key] as string)) return false;
        break;
      case 'NotIn':
        // A ClusterRole without the label satisfies NotIn (labels/selector.go Requirement.Matches).
        if (has && req.values.includes(labels[req.key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}
