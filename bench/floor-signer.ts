/**
 * The generation floor: the fastest reasonable hand-written EKS token signer
 * on `node:crypto`, with no validation, no options and no portability. It
 * exists only to show how close `generateToken` gets to the cost of the
 * cryptography and string building themselves.
 *
 * It signs exactly what a token signs (SigV4 query presign of
 * `GET /?Action=GetCallerIdentity&Version=2011-06-15` with signed headers
 * `host;x-k8s-aws-id`, empty payload) and emits botocore's parameter order,
 * so its output is byte-identical to botocore's; the runner checks that
 * against a shared vector before timing it.
 *
 * Cached across calls, as any long-lived signer (and the library) may do: the
 * derived SigV4 signing key, per secret, day, region and service. Nothing else.
 *
 * @module
 */
import { createHash, createHmac } from 'node:crypto';

/** Inputs of {@link floorToken}. */
export interface FloorInput {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** STS host, e.g. `sts.us-west-2.amazonaws.com`. */
  host: string;
  /** SigV4 scope region. */
  region: string;
  clusterId: string;
  signingDate: Date;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// AWS percent-encoding: encodeURIComponent plus the five characters it leaves alone.
function awsEscape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

const signingKeys = new Map<string, Buffer>();

function signingKey(secret: string, day: string, region: string): Buffer {
  const cacheKey = `${secret}\n${day}\n${region}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    const kDate = createHmac('sha256', 'AWS4' + secret)
      .update(day)
      .digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update('sts').digest();
    key = createHmac('sha256', kService).update('aws4_request').digest();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** Sign and encode one token. */
export function floorToken(input: FloorInput): string {
  const iso = input.signingDate.toISOString();
  // 2024-01-15T12:34:56.000Z → 20240115T123456Z
  const amzDate =
    iso.slice(0, 4) +
    iso.slice(5, 7) +
    iso.slice(8, 13) +
    iso.slice(14, 16) +
    iso.slice(17, 19) +
    'Z';
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/sts/aws4_request`;
  const head =
    'Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
    `&X-Amz-Credential=${awsEscape(input.accessKeyId)}%2F${day}%2F${input.region}%2Fsts%2Faws4_request` +
    `&X-Amz-Date=${amzDate}&X-Amz-Expires=60`;
  const signedHeaders = '&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id';
  const security =
    input.sessionToken === undefined
      ? ''
      : `&X-Amz-Security-Token=${awsEscape(input.sessionToken)}`;
  // The canonical query is sorted (Security-Token < SignedHeaders); the URL
  // keeps botocore's order (SignedHeaders, then Security-Token).
  const canonicalRequest =
    `GET\n/\n${head}${security}${signedHeaders}\n` +
    `host:${input.host}\nx-k8s-aws-id:${input.clusterId}\n\nhost;x-k8s-aws-id\n${EMPTY_SHA256}`;
  const stringToSign =
    `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n` +
    createHash('sha256').update(canonicalRequest).digest('hex');
  const signature = createHmac('sha256', signingKey(input.secretAccessKey, day, input.region))
    .update(stringToSign)
    .digest('hex');
  const url = `https://${input.host}/?${head}${signedHeaders}${security}&X-Amz-Signature=${signature}`;
  return 'k8s-aws-v1.' + Buffer.from(url, 'latin1').toString('base64url');
}
