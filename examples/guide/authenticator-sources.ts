/**
 * Guide §2.7: the Go authenticator's mapping sources, in its --backend-mode
 * order. The first source that maps the caller wins; each source's account
 * list counts before the next source; reserved username prefixes refuse.
 */
import { readFileSync } from 'node:fs';
import {
  mapIdentity,
  parseAuthenticatorConfig,
  parseAwsAuth,
  parseDynamicFile,
  parseIdentityMappings,
  sourcesFromConfig,
} from 'eks-iam-auth';

// The server config file: MountedFile entries plus backendMode,
// reservedPrefixConfig and the DynamicFile settings.
const config = parseAuthenticatorConfig(readFileSync('config.yaml', 'utf8'));
if (config.refusedBecause !== undefined) {
  // The Go server would not start with this file; it maps nothing here either.
  throw new Error(config.refusedBecause);
}

const sources = sourcesFromConfig(config, {
  EKSConfigMap: parseAwsAuth(readFileSync('aws-auth.yaml', 'utf8')),
  // `kubectl get iamidentitymappings -o yaml`, or the manifests themselves.
  CRD: parseIdentityMappings(readFileSync('iamidentitymappings.yaml', 'utf8')),
  DynamicFile: parseDynamicFile(readFileSync(config.dynamicFilePath ?? 'dynamic.json', 'utf8'), {
    userIdStrict: config.dynamicFileUserIdStrict,
  }),
});
for (const d of sources.diagnostics) {
  console.warn(`${d.source} ${d.severity} ${d.key}${d.line ? `:${d.line}` : ''}: ${d.message}`);
}

// A VerifiedIdentity (it carries the principal id a strict DynamicFile needs),
// or an ARN string. `sources` also fits reviewToken's `awsAuth`.
const mapping = await mapIdentity(sources, 'arn:aws:sts::111122223333:assumed-role/Dev/alice');
console.log(mapping?.username, mapping?.groups, mapping?.source);
