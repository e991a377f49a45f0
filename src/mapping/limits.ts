/**
 * The input bound every mapping source shares with `aws-auth`.
 *
 * @module
 */

/**
 * The longest input `parseAwsAuth` reads, in characters: 4 MiB. Kubernetes
 * caps a whole ConfigMap at 1 MiB, so anything larger is not an `aws-auth`
 * and is refused before any YAML is parsed. For object input the limit applies
 * to the total length of the `data` strings. The authenticator's other
 * sources (`parseAuthenticatorConfig`, `parseIdentityMappings`,
 * `parseDynamicFile`) refuse longer text too.
 */
export const MAX_AWS_AUTH_INPUT_LENGTH: number = 4 * 1024 * 1024;
