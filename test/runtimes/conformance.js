/* global Headers, Response */
/**
 * The runtime conformance script (SPEC 1, 7): the same checks under every
 * runtime the package claims, run against the packed tarball. Plain
 * JavaScript with web-standard globals only, so Node, Deno (no flags), Bun
 * and workerd (bundled) all run this very file.
 *
 * Asserts bytes and results, never timings; no network (verifyToken gets a
 * fake `fetch` with a canned STS answer).
 */

/** A small aws-auth ConfigMap (YAML text, as kubectl prints it). */
const AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::123456789012:role/admin
      username: admin:{{SessionName}}
      groups:
        - system:masters
  mapUsers: |
    - userarn: arn:aws:iam::123456789012:user/Alice
      username: alice
      groups:
        - developers
`;

function optionsOf(vector) {
  const input = vector.input;
  return {
    clusterId: input.clusterId,
    region: input.region,
    stsRegionalEndpoints: input.stsRegionalEndpoints,
    // Every other setting explicit too: no env read may decide anything.
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    credentials:
      input.sessionToken === null
        ? { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey }
        : {
            accessKeyId: input.accessKeyId,
            secretAccessKey: input.secretAccessKey,
            sessionToken: input.sessionToken,
          },
    signingDate: new Date(input.signingTime),
  };
}

function same(actual, expected) {
  return JSON.stringify(actual) === JSON.stringify(expected);
}

/** A `fetch` standing in for STS: checks what verifyToken sends, answers JSON. */
function fakeSts(answer, seen) {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    const headers = new Headers(init?.headers);
    seen.push({ url, clusterId: headers.get('x-k8s-aws-id'), accept: headers.get('accept') });
    return new Response(answer.body, {
      status: 200,
      headers: { 'content-type': answer.headers['Content-Type'] },
    });
  };
}

/**
 * Run every check with `lib` (the imported package) and `data` (the vectors:
 * `{ botocore, identity }`). Resolves to `{ ok, tokens, checks }`: `tokens`
 * counts vectors whose token and URL were byte-identical to botocore's.
 */
export async function runConformance(lib, data) {
  const checks = [];
  const check = async (name, body) => {
    try {
      const detail = await body();
      checks.push({
        name,
        ok: detail === true,
        ...(detail === true ? {} : { detail: String(detail) }),
      });
    } catch (error) {
      checks.push({
        name,
        ok: false,
        detail: `${error?.name}: ${error?.code ?? ''} ${error?.message}`,
      });
    }
  };

  // generateToken: byte-identical to botocore for every reference vector.
  let identical = 0;
  const vectors = data.botocore.vectors;
  for (const vector of vectors) {
    await check(`generateToken ${vector.id}`, async () => {
      const generated = await lib.generateToken(optionsOf(vector));
      if (generated.token !== vector.expected.token) return 'token differs from botocore';
      if (generated.url !== vector.expected.presignedUrl) return 'URL differs from botocore';
      if (generated.host !== vector.expected.host) return `host ${generated.host}`;
      identical += 1;
      return true;
    });
  }
  const first = vectors[0];

  await check('formatExecCredential without execInfo (v1beta1, botocore bytes)', async () => {
    const generated = await lib.generateToken(optionsOf(first));
    const warnings = [];
    const credential = lib.formatExecCredential(generated, { onWarning: (m) => warnings.push(m) });
    if (!same(credential, first.expected.execCredential)) return JSON.stringify(credential);
    return warnings.length === 0 ? true : `warnings: ${warnings.join('; ')}`;
  });

  await check('parseToken', async () => {
    const parsed = lib.parseToken(first.expected.token);
    if (parsed.host !== first.expected.host || parsed.region !== first.expected.signingRegion) {
      return `host ${parsed.host} region ${parsed.region}`;
    }
    if (parsed.url !== first.expected.presignedUrl) return 'rebuilt URL differs';
    if (parsed.signedAt.toISOString() !== new Date(first.input.signingTime).toISOString()) {
      return 'signedAt';
    }
    return parsed.accessKeyId === first.input.accessKeyId ? true : 'accessKeyId';
  });

  await check('parseToken rejects a bad prefix with ERR_TOKEN_MALFORMED', async () => {
    try {
      lib.parseToken(`k8s-aws-v2.${first.expected.token.slice(11)}`);
      return 'accepted';
    } catch (error) {
      return error instanceof lib.TokenFormatError && error.code === 'ERR_TOKEN_MALFORMED'
        ? true
        : `${error?.code}`;
    }
  });

  await check('parseAwsAuth + mapIdentity', async () => {
    const awsAuth = lib.parseAwsAuth(AWS_AUTH);
    if (awsAuth.diagnostics.length !== 0) return JSON.stringify(awsAuth.diagnostics);
    const user = await lib.mapIdentity(awsAuth, 'arn:aws:iam::123456789012:user/Alice');
    const role = await lib.mapIdentity(
      awsAuth,
      'arn:aws:sts::123456789012:assumed-role/admin/jane',
    );
    const none = await lib.mapIdentity(awsAuth, 'arn:aws:iam::123456789012:user/Mallory');
    if (!same(user && { u: user.username, g: user.groups }, { u: 'alice', g: ['developers'] })) {
      return `user ${JSON.stringify(user)}`;
    }
    if (
      !same(role && { u: role.username, g: role.groups }, {
        u: 'admin:jane',
        g: ['system:masters'],
      })
    ) {
      return `role ${JSON.stringify(role)}`;
    }
    return none === null ? true : `unmapped ${JSON.stringify(none)}`;
  });

  await check('verifyToken against a fake STS (JSON)', async () => {
    const answer = data.identity.cases.find((c) => c.id === 'iam-user').json;
    const vector = vectors.find(
      (v) => v.input.region === 'us-west-2' && v.input.sessionToken === null,
    );
    const generated = await lib.generateToken(optionsOf(vector));
    const seen = [];
    const identity = await lib.verifyToken(generated.token, {
      clusterId: vector.input.clusterId,
      currentDate: new Date(generated.signedAt.getTime() + 60_000),
      fetch: fakeSts(answer, seen),
    });
    if (seen.length !== 1 || seen[0].url !== vector.expected.presignedUrl) return 'request URL';
    if (seen[0].clusterId !== vector.input.clusterId) return 'x-k8s-aws-id header';
    if (identity.arn !== 'arn:aws:iam::123456789012:user/Alice') return identity.arn;
    if (identity.accountId !== '123456789012' || identity.principalType !== 'user') {
      return JSON.stringify(identity);
    }
    return identity.accessKeyId === vector.input.accessKeyId ? true : 'accessKeyId';
  });

  // XML is parsed where fast-xml-parser can be loaded (installed packages);
  // a bundle does not carry it and must refuse the answer, never guess.
  await check(
    'verifyToken with an XML answer: the identity, or ERR_STS_RESPONSE_INVALID in a bundle',
    async () => {
      const answer = data.identity.cases.find((c) => c.id === 'iam-user').xml;
      const generated = await lib.generateToken(optionsOf(first));
      try {
        const identity = await lib.verifyToken(generated.token, {
          clusterId: first.input.clusterId,
          currentDate: generated.signedAt,
          fetch: fakeSts(answer, []),
        });
        return identity.arn === 'arn:aws:iam::123456789012:user/Alice' ? true : identity.arn;
      } catch (error) {
        return error?.code === 'ERR_STS_RESPONSE_INVALID' && data.bundled
          ? true
          : `${error?.code} ${error?.message}`;
      }
    },
  );

  await check(
    'verifyToken refuses an expired token with ERR_TOKEN_EXPIRED, no request',
    async () => {
      const seen = [];
      try {
        await lib.verifyToken(first.expected.token, {
          clusterId: first.input.clusterId,
          currentDate: new Date(Date.parse(first.input.signingTime) + 16 * 60_000),
          fetch: fakeSts(data.identity.cases[0].json, seen),
        });
        return 'accepted';
      } catch (error) {
        return error?.code === 'ERR_TOKEN_EXPIRED' && seen.length === 0 ? true : `${error?.code}`;
      }
    },
  );

  // The shared cache's crypto (HKDF, HMAC, AES-GCM) on this runtime's
  // node:crypto or WebCrypto: one verifier writes, another reads it from the
  // store without a request; a changed value is refused.
  await check('createVerifier with a shared cache: shared, sealed, tamper refused', async () => {
    const answer = data.identity.cases.find((c) => c.id === 'iam-user').json;
    const generated = await lib.generateToken(optionsOf(first));
    const values = new Map();
    const store = {
      get: async (key) => values.get(key) ?? null,
      set: async (key, value) => void values.set(key, value),
    };
    const seen = [];
    const replica = () =>
      lib.createVerifier({
        clusterId: first.input.clusterId,
        currentDate: new Date(generated.signedAt.getTime() + 60_000),
        fetch: fakeSts(answer, seen),
        sharedCache: { store, secret: 'a conformance secret, 32 bytes or more' },
      });
    await replica().verify(generated.token);
    for (let i = 0; i < 100 && values.size === 0; i++) await new Promise((r) => setTimeout(r, 0));
    if (values.size !== 1) return `store holds ${values.size} values`;
    const reader = replica();
    const identity = await reader.verify(generated.token);
    if (identity.arn !== 'arn:aws:iam::123456789012:user/Alice' || seen.length !== 1) {
      return `shared read: ${identity.arn}, ${seen.length} requests`;
    }
    const [key, value] = [...values][0];
    const middle = value.length >> 1;
    const flipped = value[middle] === 'A' ? 'B' : 'A';
    values.set(key, value.slice(0, middle) + flipped + value.slice(middle + 1));
    const tampered = replica();
    await tampered.verify(generated.token);
    const stats = tampered.stats();
    return stats.sharedRejected === 1 && seen.length === 2 ? true : JSON.stringify(stats);
  });

  return {
    ok: checks.every((c) => c.ok),
    tokens: { identical, total: vectors.length },
    checks,
  };
}
