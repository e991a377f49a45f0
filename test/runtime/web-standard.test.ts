/**
 * The core runs on web standards alone (SPEC 1): edge workers have `fetch`,
 * `URL`, `TextEncoder` and Web Crypto, but no `process`, `Buffer`, `require`
 * or `node:` modules. A fast, in-suite guard; the real runtimes (Node
 * 20/22/24, Deno, Bun, workerd, esbuild and wrangler bundles) run the
 * packed tarball in `.ci/runtimes.sh`.
 *
 * `src/index.ts` is bundled as a user's esbuild would, with default settings
 * and nothing marked external (so a literal import of an optional peer or a
 * `node:` module would fail the build), and run in a `node:vm` context whose
 * only globals are web-standard ones. The context has no module loader, so
 * the run-time imports (`node:crypto`, the peers, the XML parser) reject
 * there and the library must take its portable paths: WebCrypto signing,
 * environment-free defaults, XML refused.
 *
 * Inputs are built inside the context (a `Date` from this realm would fail
 * the library's `instanceof Date` there), and results come back as JSON.
 */
import { webcrypto } from 'node:crypto';
import path from 'node:path';
import vm from 'node:vm';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { identityCases, errorCases } from '../support/sts-emulator.js';
import { loadVector, repoRoot } from '../support/vectors.js';
import type { BotocoreVectorFile } from '../support/vectors.js';

const botocore = loadVector<BotocoreVectorFile>('botocore-tokens.json');
const GLOBAL_NAME = '__eksIamAuth';
// Optional peers: never bundled into an edge build, loaded only if installed.
const OPTIONAL_PEERS = ['@aws-sdk/credential-providers', '@aws-sdk/client-ec2'];

/** A canned answer of the fake `fetch`. */
interface CannedResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** What the fake `fetch` was called with. */
interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  redirect: string | undefined;
}

let context: vm.Context;
let metafile: Metafile;
let canned: CannedResponse | undefined;
const calls: RecordedCall[] = [];

/** The fake `fetch`: records the call, answers {@link canned}. No network. */
function fakeFetch(
  input: unknown,
  init?: { method?: string; headers?: unknown; redirect?: string },
): Promise<Response> {
  const url = typeof input === 'string' ? input : String((input as { url?: unknown }).url ?? input);
  const headers: Record<string, string> = {};
  new Headers(init?.headers as HeadersInit | undefined).forEach((value, name) => {
    headers[name] = value;
  });
  calls.push({ url, method: init?.method ?? 'GET', headers, redirect: init?.redirect });
  if (!canned) return Promise.reject(new TypeError('fetch failed: no canned response'));
  return Promise.resolve(
    new Response(canned.body, { status: canned.status, headers: canned.headers }),
  );
}

/** Globals of the context: web standards only. */
function webGlobals(): Record<string, unknown> {
  return {
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    fetch: fakeFetch,
    Request,
    Response,
    Headers,
    AbortController,
    AbortSignal,
    DOMException,
    ReadableStream,
    crypto: webcrypto,
    atob,
    btoa,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    structuredClone,
    console,
  };
}

/**
 * Run `source` (an async function expression of one JSON argument, with the
 * library as `lib`) inside the context; its result comes back through JSON.
 * A rejection comes back as `{ error: { name, code, … } }`.
 */
async function inContext<T>(source: string, arg: unknown = null): Promise<T> {
  const script = `(async () => {
    const lib = globalThis.${GLOBAL_NAME};
    try {
      const value = await (${source})(lib, JSON.parse(${JSON.stringify(JSON.stringify(arg))}));
      return JSON.stringify({ value });
    } catch (e) {
      return JSON.stringify({ error: { name: e?.name, code: e?.code, awsCode: e?.awsCode, message: String(e?.message ?? e) } });
    }
  })()`;
  const json = (await vm.runInContext(script, context)) as string;
  const parsed = JSON.parse(json) as { value?: T; error?: unknown };
  if ('error' in parsed) return { error: parsed.error } as T;
  return parsed.value as T;
}

interface CaughtError {
  error: { name: string; code?: string; awsCode?: string; message: string };
}

beforeAll(async () => {
  const result = await build({
    entryPoints: [path.join(repoRoot, 'src', 'index.ts')],
    bundle: true,
    write: false,
    metafile: true,
    format: 'iife',
    globalName: GLOBAL_NAME,
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  metafile = result.metafile;
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error('esbuild produced no output');
  context = vm.createContext(webGlobals());
  // A static import of a node: module would surface here as a ReferenceError
  // (`require` is not defined): the core would not load on an edge runtime.
  vm.runInContext(code, context, { filename: 'eks-iam-auth.bundle.js' });
}, 60_000);

describe('the bundle', () => {
  it('builds with nothing external: no import the bundler must resolve is left', () => {
    const externalImports = Object.values(metafile.inputs).flatMap((input) =>
      input.imports.filter((i) => i.external),
    );
    expect(externalImports).toEqual([]);
  });

  it('inlines js-yaml (parseAwsAuth is synchronous)', () => {
    const files = Object.keys(metafile.inputs);
    expect(files.some((file) => file.includes('node_modules/js-yaml/'))).toBe(true);
  });

  it.each([
    ...OPTIONAL_PEERS,
    // Loaded by name at run time, only for an XML answer.
    'fast-xml-parser',
    // Not dependencies any more: the token is signed on node:crypto or WebCrypto.
    '@smithy/signature-v4',
    '@aws-crypto/sha256-js',
  ])('does not carry %s', (name) => {
    const files = Object.keys(metafile.inputs);
    expect(files.filter((file) => file.includes(`node_modules/${name}/`))).toEqual([]);
  });
});

describe('the context', () => {
  it.each(['process', 'Buffer', 'require', 'module', 'global', 'setImmediate'])(
    'has no %s',
    (name) => {
      expect(vm.runInContext(`typeof ${name}`, context)).toBe('undefined');
    },
  );

  it('cannot import node: modules', async () => {
    const outcome = (await vm.runInContext(
      "import('node:crypto').then(() => 'loaded', () => 'refused')",
      context,
    )) as string;
    expect(outcome).toBe('refused');
  });

  it('loaded the library', () => {
    const names = vm.runInContext(
      `Object.keys(globalThis.${GLOBAL_NAME}).sort().join(',')`,
      context,
    ) as string;
    for (const name of [
      'generateToken',
      'parseToken',
      'verifyToken',
      'parseAwsAuth',
      'mapIdentity',
      'reviewToken',
    ]) {
      expect(names.split(',')).toContain(name);
    }
  });
});

describe.each(botocore.vectors.map((v) => [v.id, v] as const))('vector %s', (_id, vector) => {
  it('generateToken gives the botocore token byte for byte', async () => {
    const out = await inContext<{ token: string; host: string; region: string }>(
      `async (lib, v) => {
        const generated = await lib.generateToken({
          clusterId: v.clusterId,
          region: v.region,
          stsRegionalEndpoints: v.stsRegionalEndpoints,
          credentials: v.sessionToken === null
            ? { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey }
            : { accessKeyId: v.accessKeyId, secretAccessKey: v.secretAccessKey, sessionToken: v.sessionToken },
          signingDate: new Date(v.signingTime),
        });
        return { token: generated.token, host: generated.host, region: generated.region };
      }`,
      vector.input,
    );
    expect(out).toEqual({
      token: vector.expected.token,
      host: vector.expected.host,
      region: vector.expected.signingRegion,
    });
  });

  it('parseToken decodes it', async () => {
    const out = await inContext<Record<string, unknown>>(
      `async (lib, token) => {
        const p = lib.parseToken(token);
        return { url: p.url, host: p.host, region: p.region, accessKeyId: p.accessKeyId,
          signedAt: p.signedAt.toISOString(), hasSessionToken: p.hasSessionToken };
      }`,
      vector.expected.token,
    );
    expect(out).toEqual({
      url: vector.expected.presignedUrl,
      host: vector.expected.host,
      region: vector.expected.signingRegion,
      accessKeyId: vector.input.accessKeyId,
      signedAt: new Date(vector.input.signingTime).toISOString(),
      hasSessionToken: vector.input.sessionToken !== null,
    });
  });
});

describe('verifyToken with a fake fetch', () => {
  const vectorById = (id: string) => {
    const v = botocore.vectors.find((x) => x.id === id);
    if (!v) throw new Error(`no vector ${id}`);
    return v;
  };
  const caseById = (id: string) => {
    const c = identityCases().find((x) => x.id === id);
    if (!c) throw new Error(`no identity case ${id}`);
    return c;
  };

  it.each([
    ['JSON body, IAM user', 'json', 'us-west-2-regional-static-demo', 'iam-user'],
    ['JSON body, assumed role', 'json', 'us-west-2-regional-session-demo', 'assumed-role'],
  ] as const)('%s', async (_name, format, vectorId, caseId) => {
    const vector = vectorById(vectorId);
    const identity = caseById(caseId);
    canned = { status: 200, body: identity[format].body, headers: identity[format].headers };
    calls.length = 0;
    const out = await inContext<Record<string, unknown>>(
      `async (lib, input) => {
        const id = await lib.verifyToken(input.token, {
          clusterId: 'demo',
          region: 'us-west-2',
          currentDate: new Date(Date.parse(input.signingTime) + 60000),
        });
        return { arn: id.arn, canonicalArn: id.canonicalArn, accountId: id.accountId,
          userId: id.userId, sessionName: id.sessionName ?? null, stsHost: id.stsHost };
      }`,
      { token: vector.expected.token, signingTime: vector.input.signingTime },
    );
    expect(out).toEqual({
      arn: identity.expected.Arn,
      canonicalArn: identity.derivedIdentity.canonicalArn,
      accountId: identity.expected.Account,
      userId: identity.derivedIdentity.userId,
      sessionName: identity.derivedIdentity.sessionName,
      stsHost: vector.expected.host,
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      url: vector.expected.presignedUrl,
      method: 'GET',
      redirect: 'manual',
      headers: { 'x-k8s-aws-id': 'demo', accept: 'application/json' },
    });
  });

  it.each([
    ['signature-does-not-match', 'ERR_STS_REJECTED', 'SignatureDoesNotMatch'],
    ['throttling', 'ERR_STS_THROTTLED', 'Throttling'],
  ] as const)('an STS error answer (%s) rejects with %s', async (caseId, code, awsCode) => {
    const vector = vectorById('us-west-2-regional-static-demo');
    const error = errorCases().find((c) => c.id === caseId);
    if (!error) throw new Error(`no error case ${caseId}`);
    canned = { status: error.httpStatus, body: error.json.body, headers: error.json.headers };
    const out = await inContext<CaughtError>(
      `async (lib, input) => lib.verifyToken(input.token, {
        clusterId: 'demo',
        currentDate: new Date(Date.parse(input.signingTime) + 60000),
        retries: 0,
      })`,
      { token: vector.expected.token, signingTime: vector.input.signingTime },
    );
    expect(out.error).toMatchObject({ code, awsCode });
    expect(out.error.message).not.toContain(vector.expected.signature);
  });
});

describe('an XML answer where the XML parser cannot be loaded', () => {
  it('is refused with ERR_STS_RESPONSE_INVALID, never read as an identity', async () => {
    const vector = botocore.vectors.find((x) => x.id === 'us-west-2-regional-static-demo');
    const identity = identityCases().find((x) => x.id === 'iam-user');
    if (!vector || !identity) throw new Error('fixtures missing');
    canned = { status: 200, body: identity.xml.body, headers: identity.xml.headers };
    const out = await inContext<CaughtError>(
      `async (lib, input) => lib.verifyToken(input.token, {
        clusterId: 'demo',
        currentDate: new Date(Date.parse(input.signingTime) + 60000),
      })`,
      { token: vector.expected.token, signingTime: vector.input.signingTime },
    );
    expect(out.error).toMatchObject({ code: 'ERR_STS_RESPONSE_INVALID' });
  });
});

describe('aws-auth in the context', () => {
  // The eksctl node-group mapping from the seeds.
  const configMap = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: aws-auth',
    '  namespace: kube-system',
    'data:',
    '  mapRoles: |',
    '    - groups:',
    '      - system:bootstrappers',
    '      - system:nodes',
    '      rolearn: arn:aws:iam::111111111111:role/eksctl-ironman-2022-nodegroup-ng1-publ-NodeInstanceRole-HN27OZ18JS6U',
    '      username: system:node:{{EC2PrivateDNSName}}',
    '  mapUsers: |',
    '    - userarn: arn:aws:iam::111111111111:user/yaroslav',
    '      username: yaroslav',
    '      groups:',
    '        - system:masters',
    '',
  ].join('\n');

  it.each([
    [
      'node role through the EC2 resolver',
      'arn:aws:sts::111111111111:assumed-role/eksctl-ironman-2022-nodegroup-ng1-publ-NodeInstanceRole-HN27OZ18JS6U/i-0123456789abcdef0',
      {
        username: 'system:node:ip-192-168-1-10.eu-west-1.compute.internal',
        groups: ['system:bootstrappers', 'system:nodes'],
        matchedBy: 'mapRoles',
      },
    ],
    [
      'mapped user',
      'arn:aws:iam::111111111111:user/yaroslav',
      { username: 'yaroslav', groups: ['system:masters'], matchedBy: 'mapUsers' },
    ],
    ['unmapped user', 'arn:aws:iam::111111111111:user/arseniy', null],
  ] as const)('%s', async (_name, arn, expected) => {
    const out = await inContext<unknown>(
      `async (lib, input) => {
        const awsAuth = lib.parseAwsAuth(input.yaml);
        const m = await lib.mapIdentity(awsAuth, input.arn, {
          resolveEC2PrivateDNSName: async (id) =>
            id === 'i-0123456789abcdef0' ? 'ip-192-168-1-10.eu-west-1.compute.internal' : undefined,
        });
        return m && { username: m.username, groups: m.groups, matchedBy: m.matchedBy };
      }`,
      { yaml: configMap, arn },
    );
    expect(out).toEqual(expected);
  });
});

describe('createVerifier in the context', () => {
  it('verifies once and answers the repeat from its cache (portable key hash, no diagnostics channel)', async () => {
    const vector = botocore.vectors.find((x) => x.id === 'us-west-2-regional-static-demo');
    const identity = identityCases().find((x) => x.id === 'iam-user');
    if (!vector || !identity) throw new Error('vector or identity case missing');
    canned = { status: 200, body: identity.json.body, headers: identity.json.headers };
    calls.length = 0;
    const out = await inContext<Record<string, unknown>>(
      `async (lib, input) => {
        const events = [];
        const verifier = lib.createVerifier({
          clusterId: 'demo',
          region: 'us-west-2',
          currentDate: new Date(Date.parse(input.signingTime) + 60000),
          onEvent: (e) => events.push(e.result + (e.cached ? ' (cached)' : '')),
        });
        const first = await verifier.verify(input.token);
        const second = await verifier.verify(input.token);
        return { arns: [first.arn, second.arn], stats: verifier.stats(), events };
      }`,
      { token: vector.expected.token, signingTime: vector.input.signingTime },
    );
    expect(out).toEqual({
      arns: [identity.expected.Arn, identity.expected.Arn],
      stats: { hits: 1, misses: 1, coalesced: 0, stsRequests: 1, entries: 1 },
      events: ['success', 'success (cached)'],
    });
    expect(calls).toHaveLength(1);
  });
});
