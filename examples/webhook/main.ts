/**
 * A drop-in for `aws-iam-authenticator server`: the same TokenReview endpoint
 * (`/authenticate`), the same mapping sources chosen with `--backend-mode`,
 * the same Prometheus metrics on `/metrics`. An example to copy, not part of
 * the package (README.md says how to run it).
 *
 *   npm start -- --config /etc/aws-iam-authenticator/config.yaml \
 *     --backend-mode MountedFile,EKSConfigMap --aws-auth-file aws-auth.yaml \
 *     --tls-cert-file tls.crt --tls-key-file tls.key --address 0.0.0.0
 *
 * Flags named as the Go server's: `--config`/`-c`, `--cluster-id`/`-i`
 * (or `KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID`), `--backend-mode`,
 * `--port` (21362), `--address` (127.0.0.1), `--partition`,
 * `--feature-gates SSORoleMatch=true`; `--redis-url` (with
 * `VERIFIER_CACHE_SECRET`) to share verifications between replicas. Where the Go server reads Kubernetes
 * objects, this reads files: `--aws-auth-file` (EKSConfigMap),
 * `--identity-mappings-file` (CRD); the DynamicFile is the config's
 * `server.dynamicfilepath` or `--dynamicfilepath`. `{{EC2PrivateDNSName}}`
 * needs `@aws-sdk/client-ec2` installed (`--region` for its region). Files
 * are polled every `--reload-interval` seconds (1) and on SIGHUP; a file
 * that would never reach the Go server keeps the last good mappings, and a
 * half-written one is never used. SIGTERM or SIGINT: stop accepting, finish
 * the requests in flight (up to 5 s), exit 0.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BACKEND_MODES, PARTITIONS, createEC2PrivateDNSNameResolver } from 'eks-iam-auth';
import { redisSharedCache } from './shared-cache.js';
import type { BackendMode, PartitionId } from 'eks-iam-auth';
import { safeText } from './log.js';
import { startWebhook } from './server.js';
import type { Webhook } from './server.js';

const DEPRECATED: Readonly<Record<string, BackendMode>> = {
  File: 'MountedFile',
  ConfigMap: 'EKSConfigMap',
};

function fail(message: string): never {
  // Messages quote the command line and the mapping files: escaped like the log.
  process.stderr.write(`aws-iam-authenticator webhook: ${safeText(message)}\n`);
  process.exit(1);
}

function backendModes(value: string | undefined): BackendMode[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((n) => n.trim());
  const modes = names.map((name) => {
    const mode = DEPRECATED[name] ?? name;
    if (!(BACKEND_MODES as readonly string[]).includes(mode)) {
      fail(`backend-mode "${name}" is not a valid mode (${BACKEND_MODES.join(', ')})`);
    }
    return mode as BackendMode;
  });
  if (new Set(names).size !== names.length) fail(`backend-mode "${value}" has duplicates`);
  return modes;
}

const { values } = parseArgs({
  options: {
    config: { type: 'string', short: 'c' },
    'cluster-id': { type: 'string', short: 'i' },
    'backend-mode': { type: 'string' },
    port: { type: 'string', default: '21362' },
    address: { type: 'string', default: '127.0.0.1' },
    partition: { type: 'string' },
    region: { type: 'string' },
    'feature-gates': { type: 'string' },
    'aws-auth-file': { type: 'string' },
    'identity-mappings-file': { type: 'string' },
    dynamicfilepath: { type: 'string' },
    'tls-cert-file': { type: 'string' },
    'tls-key-file': { type: 'string' },
    'reload-interval': { type: 'string', default: '1' },
    'redis-url': { type: 'string' },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port ${values.port} is not a port`);
const reloadSeconds = Number(values['reload-interval']);
if (!(reloadSeconds > 0)) fail('--reload-interval must be a positive number of seconds');
const partition = values.partition;
if (partition !== undefined && !PARTITIONS.some((p) => p.id === partition))
  fail(`unknown partition "${partition}"`);
const certFile = values['tls-cert-file'];
const keyFile = values['tls-key-file'];
if ((certFile === undefined) !== (keyFile === undefined))
  fail('--tls-cert-file and --tls-key-file go together');
const gates = new Set((values['feature-gates'] ?? '').split(',').map((g) => g.trim()));
const redisUrl = values['redis-url'];
const cacheSecret = process.env['VERIFIER_CACHE_SECRET'];
if (redisUrl !== undefined && cacheSecret === undefined)
  fail('--redis-url needs VERIFIER_CACHE_SECRET (the same on every replica, at least 32 bytes)');
const shared =
  redisUrl === undefined
    ? undefined
    : await redisSharedCache(redisUrl, cacheSecret as string).catch((error: unknown) =>
        fail(error instanceof Error ? error.message : String(error)),
      );

// Signals are handled from the start: a SIGTERM while the files load or the
// port opens (the pod deleted right away) still ends the process with 0.
const running: { webhook?: Webhook } = {};
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  Promise.resolve(running.webhook?.close())
    .then(() => shared?.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('SIGHUP', () => void running.webhook?.mappings.reload());

running.webhook = await startWebhook({
  configFile: values.config,
  clusterId: values['cluster-id'] ?? process.env['KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID'],
  backendMode: backendModes(values['backend-mode']),
  awsAuthFile: values['aws-auth-file'],
  identityMappingsFile: values['identity-mappings-file'],
  dynamicFile: values.dynamicfilepath,
  port,
  address: values.address,
  reloadIntervalMs: reloadSeconds * 1000,
  ssoRoleMatch: gates.has('SSORoleMatch=true'),
  // system:node:{{EC2PrivateDNSName}}: batched, cached DescribeInstances (needs @aws-sdk/client-ec2).
  resolveEC2PrivateDNSName: createEC2PrivateDNSNameResolver(
    values.region === undefined ? {} : { region: values.region },
  ),
  verifier: {
    ...(partition === undefined ? {} : { partition: partition as PartitionId }),
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(shared === undefined ? {} : { sharedCache: shared.options }),
  },
  ...(certFile !== undefined && keyFile !== undefined
    ? { tls: { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') } }
    : {}),
}).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
