/**
 * eks-iam-auth: generate, parse and verify Amazon EKS IAM bearer tokens, and
 * map the verified identity through the `aws-auth` ConfigMap.
 *
 * This module only re-exports; each concern lives in its own file.
 *
 * @packageDocumentation
 */

export { generateToken } from './token/generate.js';
export type { GenerateTokenOptions, GeneratedToken } from './token/generate.js';
export type { AwsCredentials, AwsCredentialsProvider } from './token/credentials.js';
export { formatExecCredential } from './token/exec-credential.js';
export type { ExecCredential, FormatExecCredentialOptions } from './token/exec-credential.js';
export { parseToken } from './token/parse.js';
export type { ParsedToken, ParseTokenOptions } from './token/parse.js';
export { verifyToken } from './token/verify.js';
export type { VerifyTokenOptions, VerifiedIdentity } from './token/verify.js';

export { canonicalizeArn } from './arn.js';
export type { CanonicalArn, PrincipalType } from './arn.js';

export { MAX_AWS_AUTH_INPUT_LENGTH, parseAwsAuth } from './aws-auth/parse.js';
export type {
  AwsAuth,
  AwsAuthInput,
  AwsAuthDiagnostic,
  AwsAuthDiagnosticCode,
  AwsAuthKey,
  RoleMapping,
  SsoRoleMapping,
  UserMapping,
} from './aws-auth/types.js';
export { mapIdentity } from './aws-auth/map.js';
export type { MapIdentityOptions, Mapping } from './aws-auth/map.js';
export { createEC2PrivateDNSNameResolver } from './aws-auth/ec2-resolver.js';
export type { EC2PrivateDNSNameResolverOptions } from './aws-auth/ec2-resolver.js';

export { reviewToken } from './review.js';
export type { ReviewTokenOptions, TokenReviewResult } from './review.js';

export { PARTITIONS } from './sts/partitions.js';
export type { PartitionId, PartitionInfo } from './sts/partitions.js';
export type { EndpointKind, StsRegionalEndpoints } from './sts/endpoints.js';
export { isStsHostAllowed } from './sts/host-policy.js';
export type { HostPolicy } from './sts/host-policy.js';

export {
  ArnError,
  AwsAuthError,
  CredentialsError,
  EksAuthError,
  HTTP_STATUS_BY_CODE,
  SigningError,
  StsRejectedError,
  StsResponseError,
  StsThrottledError,
  StsUnavailableError,
  TemplateError,
  TokenExpiredError,
  TokenFormatError,
  TokenHostError,
  TokenNotYetValidError,
  isEksAuthError,
} from './errors.js';
export type { ErrorCode, EksAuthErrorOptions, TokenFormatReason } from './errors.js';
