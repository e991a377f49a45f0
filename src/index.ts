/**
 * eks-iam-auth: generate, parse and verify Amazon EKS IAM bearer tokens, and
 * map the verified identity through the `aws-auth` ConfigMap and EKS access
 * entries.
 *
 * This module only re-exports; each concern lives in its own file.
 *
 * @packageDocumentation
 */

export { generateToken } from './token/generate.js';
export type { GenerateTokenOptions, GeneratedToken } from './token/generate.js';
export type { AwsCredentials, AwsCredentialsProvider } from './token/credentials.js';
export { formatExecCredential } from './token/format-exec-credential.js';
export type { ExecCredential, FormatExecCredentialOptions } from './token/exec-credential.js';
export { parseToken } from './token/parse.js';
export type { ParsedToken, ParseTokenOptions } from './token/parse.js';
export { verifyToken } from './token/verify.js';
export type { VerifyTokenOptions, VerifiedIdentity } from './token/verify.js';

export { canonicalizeArn } from './arn.js';
export type { CanonicalArn, PrincipalType } from './arn.js';

export { MAX_AWS_AUTH_INPUT_LENGTH, parseAwsAuth } from './aws-auth/parse.js';
export type { ParseAwsAuthOptions } from './aws-auth/parse.js';
export type { InputLimitOptions } from './mapping/limits.js';
export type {
  AwsAuth,
  AwsAuthInput,
  AwsAuthDiagnostic,
  AwsAuthDiagnosticCode,
  AwsAuthKey,
  RoleMapping,
  SourceDiagnosticCode,
  SsoRoleMapping,
  UserMapping,
} from './mapping/types.js';
export { mapIdentity } from './resolve/map-identity.js';
export type { MapIdentityOptions, Mapping } from './resolve/map-identity.js';
export { createEC2PrivateDNSNameResolver } from './mapping/ec2-resolver.js';
export type { EC2PrivateDNSNameResolverOptions } from './mapping/ec2-resolver.js';

export { MAX_ACCESS_ENTRIES_INPUT_LENGTH, parseAccessEntries } from './access-entries/parse.js';
export type { ParseAccessEntriesOptions } from './access-entries/parse.js';
export { ACCESS_POLICIES, ACCESS_POLICIES_SOURCE } from './access-entries/access-policies.js';
export type {
  AccessPolicyDefinition,
  AccessPolicyRule,
  AccessPolicySource,
} from './access-entries/access-policies.js';
export type {
  AccessEntries,
  AccessEntriesDiagnostic,
  AccessEntriesInput,
  AccessEntry,
  AccessEntryRefusalCode,
  AccessEntryType,
  AccessPolicyAssociation,
  AccessScope,
  AuthenticationMode,
} from './access-entries/types.js';
export { resolveIdentity } from './resolve/resolve.js';
export { explainIdentity } from './resolve/explain.js';
export type {
  IdentityExplanation,
  IdentityNearMiss,
  ResolvedIdentity,
  ResolveIdentityOptions,
} from './resolve/types.js';

export { authorize } from './authz/authorize.js';
export { listPermissions } from './authz/permissions.js';
export { whoCan } from './authz/who-can.js';
export type {
  AccessPolicyReason,
  AuthorizeOptions,
  AuthzRequest,
  AuthzRequestObject,
  Caveat,
  CaveatCode,
  Decision,
  DecisionIdentity,
  DecisionReason,
  EvaluatedRequest,
  NodeAuthorizerReason,
  ListPermissionsOptions,
  PermissionRule,
  Permissions,
  PermissionSource,
  PrivilegedGroupReason,
  RbacReason,
  WhoCanCondition,
  WhoCanPrincipal,
  WhoCanResult,
} from './authz/types.js';
export { planAccessEntryMigration } from './migrate/plan.js';
export type {
  MigrationAnswer,
  MigrationCheck,
  MigrationDifference,
  MigrationEntry,
  MigrationFailure,
  MigrationIssue,
  MigrationIssueCode,
  MigrationNote,
  MigrationPlan,
  MigrationSource,
  MigrationTarget,
  PlanAccessEntryMigrationOptions,
} from './migrate/types.js';
export { renderMigration } from './migrate/render/index.js';
export type { MigrationFormat, RenderMigrationOptions } from './migrate/render/index.js';
export { parseAuthenticatorConfig } from './sources/authenticator-config.js';
export { parseIdentityMappings } from './sources/identity-mappings.js';
export type { IdentityMappingsInput } from './sources/identity-mappings.js';
export { parseDynamicFile } from './sources/dynamic-file.js';
export type { ParseDynamicFileOptions } from './sources/dynamic-file.js';
export { mappingSources, sourcesFromConfig } from './sources/ordered.js';
export type { BackendSources } from './sources/ordered.js';
export { BACKEND_MODES } from './sources/types.js';
export type {
  AuthenticatorConfig,
  BackendMode,
  DynamicFileMappings,
  IdentityMappings,
  MappingSource,
  MappingSourceList,
  MappingSources,
  SourceDiagnostic,
  SourceResult,
} from './sources/types.js';

export { MAX_RBAC_INPUT_LENGTH, parseRbac } from './authz/rbac/parse.js';
export type { ParseRbacOptions, RbacInput } from './authz/rbac/parse.js';
export {
  DEFAULT_RBAC_KUBERNETES_VERSION,
  RBAC_KUBERNETES_VERSIONS,
} from './authz/rbac/bootstrap.js';
export { MAX_AGGREGATED_RULES } from './authz/rbac/aggregate.js';
export type {
  Rbac,
  RbacBinding,
  RbacBootstrapInfo,
  RbacDiagnostic,
  RbacDiagnosticCode,
  RbacLabelSelector,
  RbacLabelSelectorRequirement,
  RbacRequest,
  RbacRole,
  RbacRule,
  RbacRuleInput,
  RbacSource,
  RbacSubject,
} from './authz/rbac/types.js';

export { reviewToken } from './review.js';
export type {
  ReviewTokenOptions,
  ReviewTokenVerifierOptions,
  TokenReviewResult,
} from './review.js';

export { PARTITIONS } from './partitions.js';
export type { PartitionId, PartitionInfo } from './partitions.js';
export type { EndpointKind, StsRegionalEndpoints } from './sts/endpoints.js';
export { isStsHostAllowed } from './sts/host-policy.js';
export type { HostPolicy } from './sts/host-policy.js';

export {
  AccessEntriesError,
  ArnError,
  AwsAuthError,
  RbacError,
  CredentialsError,
  EksAuthError,
  HTTP_STATUS_BY_CODE,
  LimitExceededError,
  MigrationRenderError,
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
export type {
  CredentialsReason,
  ErrorCode,
  EksAuthErrorOptions,
  MigrationRenderReason,
  StsUnavailableReason,
  TokenFormatReason,
} from './errors.js';

export { createVerifier } from './verifier/create.js';
export type { Verifier, VerifierStats } from './verifier/create.js';
export type {
  VerifierCacheOptions,
  VerifierOptions,
  VerifyCallOptions,
} from './verifier/options.js';
export { VERIFY_CHANNEL } from './verifier/events.js';
export type { VerifyEvent, VerifyResult, VerifySource } from './verifier/events.js';
export { DEFAULT_SHARED_PREFIX } from './verifier/shared-cache.js';
export type {
  SharedCacheOptions,
  SharedLookupOutcome,
  SharedStore,
} from './verifier/shared-cache.js';
export { MAX_SHARED_VALUE_LENGTH } from './verifier/seal.js';
export { redisStore } from './verifier/redis-store.js';
export type { RedisClientLike } from './verifier/redis-store.js';
