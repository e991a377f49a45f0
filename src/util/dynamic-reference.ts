/**
 * CloudFormation dynamic references, `{{resolve:service:key}}`: CloudFormation
 * replaces them in any resource property at deploy time with the value of
 * an SSM parameter or a Secrets Manager secret, read with the deployer's
 * rights, and offers no escape to write the text literally
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html).
 * A name carrying one is never what EKS would use: EKS takes it literally.
 *
 * @module
 */

// Matched loosely (any case, spaces after the braces): a near miss that
// CloudFormation might still resolve is refused rather than guessed about.
const DYNAMIC_REFERENCE = /\{\{\s*resolve:/i;

/** True if `value` holds the start of a CloudFormation dynamic reference (`{{resolve:`). */
export function hasDynamicReference(value: string): boolean {
  return DYNAMIC_REFERENCE.test(value);
}
