/**
 * Read a CloudFormation template as CloudFormation does: YAML 1.1 (where
 * `yes` is a boolean and a raw NEL a line break), with the short-form
 * intrinsic functions (`!Ref X`) as their long forms (`{ Ref: X }`). The
 * `yaml` package with `version: '1.1'` is the reader; duplicate keys are
 * errors, as in CloudFormation.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html
 */
import { parse } from 'yaml';
import type { ScalarTag } from 'yaml';

const INTRINSICS = ['Ref', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Base64'];

const tags: ScalarTag[] = INTRINSICS.map((name) => ({
  tag: `!${name}`,
  resolve: (value: string): Record<string, string> => ({
    [name === 'Ref' ? 'Ref' : `Fn::${name}`]: value,
  }),
}));

/** One `AWS::EKS::AccessEntry` resource as the template holds it. */
export interface AccessEntryResource {
  Type: string;
  Properties: {
    ClusterName: unknown;
    PrincipalArn: string;
    Type?: string;
    Username?: string;
    KubernetesGroups?: string[];
    AccessPolicies?: { PolicyArn: string; AccessScope: { Type: string; Namespaces?: string[] } }[];
  };
}

/** The parts of a rendered template the tests read. */
export interface Template {
  AWSTemplateFormatVersion: string;
  Description: string;
  Parameters: { ClusterName: { Type: string; Default: string } };
  Resources: Record<string, AccessEntryResource>;
}

/** Parse `text` as CloudFormation reads a YAML template. */
export function readTemplate(text: string): Template {
  return parse(text, { version: '1.1', customTags: tags, uniqueKeys: true }) as Template;
}
