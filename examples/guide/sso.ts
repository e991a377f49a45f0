/**
 * Guide §3.4: IAM Identity Center (SSO) permission sets in aws-auth.
 */
import { mapIdentity, parseAwsAuth } from 'eks-iam-auth';

// SSO roles live under the path /aws-reserved/sso.amazonaws.com/, but STS
// reports them without it, and EKS never matches a rolearn written with a
// path. So either write the role ARN without its path …
const byRoleArn = parseAwsAuth({
  mapRoles: `
- rolearn: arn:aws:iam::123456789012:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef
  username: sso-admin:{{SessionName}}
  groups:
    - system:masters
`,
});

// … or match the permission set, whatever its random suffix (behind the Go
// authenticator's SSORoleMatch feature gate, hence ssoRoleMatch: true).
const byPermissionSet = parseAwsAuth({
  mapRoles: `
- sso:
    permissionSetName: AdministratorAccess
    accountID: "123456789012"
  username: sso-admin:{{SessionName}}
  groups:
    - system:masters
`,
});

const caller =
  'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane.doe@example.com';
console.log(await mapIdentity(byRoleArn, caller));
// { username: 'sso-admin:jane.doe-example.com', groups: ['system:masters'], matchedBy: 'mapRoles', … }
console.log(await mapIdentity(byPermissionSet, caller, { ssoRoleMatch: true }));
// { username: 'sso-admin:jane.doe-example.com', groups: ['system:masters'], matchedBy: 'sso', … }
console.log(await mapIdentity(byPermissionSet, caller)); // null: the gate is off by default
