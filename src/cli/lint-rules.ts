/**
 * One sentence per lint diagnostic code: the SARIF rule descriptions GitHub
 * code scanning shows at the top of an alert. The diagnostics' own messages
 * say what is wrong with one value; these say what the rule is about. A
 * code missing here (one added later) still gets a rule, described by its
 * name.
 *
 * @module
 */

const DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze({
  // aws-auth (AwsAuthDiagnosticCode)
  'data-not-a-string':
    'A data value is not a string (the "|" is missing): Kubernetes refuses the whole ConfigMap.',
  'data-key-invalid': 'A data key Kubernetes does not allow: it refuses the whole ConfigMap.',
  'dynamic-reference':
    "A {{resolve:...}} dynamic reference: CloudFormation would resolve it with the deployer's rights.",
  'key-near-miss': 'A data key EKS ignores because keys are case-sensitive (maproles, MapUsers).',
  'key-repeated': 'A data key appears twice: only the last one is read.',
  'yaml-syntax':
    'The YAML inside a data value is invalid for EKS: every entry of that key is lost.',
  'yaml-too-deep':
    'YAML nested deeper than the reader follows: the key is refused as a whole (a documented deviation).',
  'yaml-not-a-list': 'A data value holds YAML that is not a list: EKS reads no entry from it.',
  'yaml-extra-document': 'A second YAML document inside a data value: EKS reads only the first.',
  'entry-not-a-map': 'A list item that is not an entry (a map): EKS skips it.',
  'entry-missing-arn': 'An entry without rolearn or userarn: EKS drops it.',
  'entry-arn-and-sso': 'An entry with both rolearn and sso: EKS refuses it.',
  'sso-invalid': 'An sso entry that is incomplete or malformed: EKS drops it.',
  'sso-partition-never-matches': 'An sso entry that names its partition never matches in EKS.',
  'sso-overlap': 'Two sso entries for the same permission set and account.',
  'unknown-field': 'A field EKS ignores (often a misspelt one).',
  'field-repeated': 'A field written twice in one entry.',
  'field-wrong-type': 'A field of the wrong type: EKS leaves it empty.',
  'yaml11-scalar': 'An unquoted value that YAML 1.1 reads as a boolean or number, not a string.',
  'missing-username':
    'An entry without username: EKS maps the caller to the empty user "" with its groups.',
  'arn-invalid': 'A value that is not a valid IAM ARN: the entry never matches.',
  'arn-path':
    'A role ARN with a path: STS reports roles without their path, so EKS never matches it.',
  'arn-assumed-role':
    'An assumed-role (session) ARN: EKS never matches it; write the IAM role ARN.',
  'arn-sts-role': 'An sts role ARN: write the iam role ARN.',
  'arn-iam-group': 'An IAM group ARN: groups cannot be mapped, only users and roles.',
  'arn-wrong-list': 'An ARN in the other list (a user in mapRoles, a role in mapUsers).',
  whitespace: 'Leading or trailing spaces: EKS compares the text exactly.',
  wildcard: 'A "*" or "?": aws-auth has no wildcards, the text is taken literally.',
  'angle-brackets': 'A value still wrapped in <...> from documentation: EKS takes it literally.',
  'unbalanced-braces': 'Single or unbalanced braces: EKS substitutes only {{Name}}.',
  'folded-list': 'A " - " inside one group: a mis-indented list folded into one string.',
  'group-near-miss': 'A group name close to a well-known one (system:master, system:node).',
  'empty-group': 'An empty group "", which grants nothing.',
  'placeholder-unknown': 'A {{placeholder}} EKS does not know: it stays literal.',
  'placeholder-angles': 'A <<Placeholder>> spelling: EKS reads only {{Placeholder}}.',
  'placeholder-needs-session': 'A placeholder that needs a session name the caller may not have.',
  'duplicate-identical': 'The same entry twice, identically: harmless, one is enough.',
  'duplicate-conflicting': 'The same ARN twice with other username or groups: only one applies.',
  'account-invalid': 'A mapAccounts item that is not a 12-digit account id: it never matches.',
  'account-not-a-string': 'A mapAccounts item that is not a string.',
  // The Go authenticator's other sources (SourceDiagnosticCode)
  'source-refused': 'The Go authenticator refuses the whole source: nothing in it applies.',
  'setting-wrong-type': 'A setting of the wrong type in the authenticator config file.',
  'setting-key-repeated': 'A setting written twice in the authenticator config file.',
  'setting-string-list': 'A string where a list belongs: the authenticator splits it on ",".',
  'setting-map-as-list': 'A map where a list belongs: the authenticator reads a one-entry list.',
  'backend-mode-invalid': 'An unknown backend mode.',
  'backend-mode-deprecated': 'A deprecated backend mode.',
  'reserved-prefix-unknown-mode':
    'Reserved username prefixes for a backend mode that does not exist.',
  'reserved-username': 'A username with a prefix reserved for its backend: the mapping is refused.',
  'dynamic-file-path-mismatch':
    'DynamicFile in backendMode without dynamicfilepath, or the reverse.',
  'arn-canonicalized': 'An ARN the authenticator canonicalizes before matching.',
  'unquoted-scalar': 'An unquoted value Go reads as a number or boolean.',
  'account-unquoted-number':
    'An unquoted account id: Go drops its leading zero, so it never matches.',
  'duplicate-entry': 'The same principal twice in one source.',
  'json-wrong-type': 'A DynamicFile value of the wrong JSON type.',
  'entry-missing-userid': 'A DynamicFile entry without userid under user-id-strict matching.',
  'sso-ignored': 'An sso entry in a source that does not read sso entries.',
  'object-skipped': 'An object that is not an IAMIdentityMapping: skipped.',
  'object-invalid': 'An IAMIdentityMapping the authenticator cannot use.',
  'object-same-arn': 'Two IAMIdentityMapping objects for the same ARN.',
  // Access entries EKS refuses to create (AccessEntryRefusalCode)
  'username-reserved':
    'A username with a prefix EKS reserves (system:, eks:, aws:, amazon:, iam:).',
  'username-session-colon': 'A username with {{SessionName}} without a ":" before it.',
  'username-not-a-string': 'A username that is not a string.',
  'username-on-node-type': 'A username on a node-type entry, which takes only the one EKS sets.',
  'groups-not-a-list': 'kubernetesGroups that are not a list.',
  'group-not-a-string': 'A Kubernetes group that is not a string.',
  'group-reserved': 'A system: group on a STANDARD entry.',
  'groups-on-node-type': 'Groups on a node-type entry, which takes only the ones EKS sets.',
  // The command line's own checks
  'control-character':
    'A control, bidirectional or line-separator character, in a value or raw in the file: what a reviewer sees is not what EKS reads.',
  'maps-nothing': 'No entry survives: nobody is mapped through this file.',
  'not-a-configmap':
    'The file is not an aws-auth ConfigMap, access entries or an authenticator source.',
  'access-entry': 'An access entry EKS would refuse or read differently than written.',
});

/** The one-sentence description of a diagnostic code. */
export function ruleDescription(code: string): string {
  return Object.hasOwn(DESCRIPTIONS, code)
    ? (DESCRIPTIONS[code] as string)
    : `eks-iam-auth lint rule ${code}.`;
}
