/**
 * Test helpers for the reference vectors in `test/fixtures/vectors/` (made
 * by independent implementations; `test/fixtures/vectors/README.md` says how
 * each file was made).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `<root>/test/support/vectors.ts`). */
export const repoRoot: string = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
);

/** Absolute path of a file under `test/fixtures/vectors/`, e.g. `sts-responses/errors.json`. */
export function vectorPath(name: string): string {
  return path.resolve(repoRoot, 'test', 'fixtures', 'vectors', name);
}

/** Read and parse a JSON vector file under `test/fixtures/vectors/`. */
export function loadVector<T>(name: string): T {
  return JSON.parse(readFileSync(vectorPath(name), 'utf8')) as T;
}

/** `k8s-aws-v1.` + unpadded base64url of `url`, the way every generator builds a token. */
export function tokenFromUrl(url: string): string {
  return 'k8s-aws-v1.' + Buffer.from(url, 'latin1').toString('base64url');
}

/** One alternate encoding of a botocore vector (same signature, other parameter order). */
export interface AlternateEncoding {
  by: string;
  presignedUrl: string;
  token: string;
  queryParamOrder: string[];
}

/** One vector of `botocore-tokens.json` (the fields the tests use). */
export interface BotocoreVector {
  id: string;
  description: string;
  input: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string | null;
    region: string;
    clusterId: string;
    signingTime: string;
    stsRegionalEndpoints: 'regional' | 'legacy';
    env: Record<string, string>;
  };
  expected: {
    host: string;
    signingRegion: string;
    credentialScope: string;
    signedHeaders: string;
    signature: string;
    queryParamOrder: string[];
    presignedUrl: string;
    token: string;
    execCredential: unknown;
    canonicalRequest: string;
    stringToSign: string;
  };
  execCredentialStdout?: Record<string, string>;
  alternateEncodings?: AlternateEncoding[];
}

/** `botocore-tokens.json`. */
export interface BotocoreVectorFile {
  constants: Record<string, unknown>;
  vectors: BotocoreVector[];
}

/** One vector of `aws-iam-authenticator-tokens.json`. */
export interface AuthenticatorVector {
  id: string;
  input: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string | null;
    clusterId: string;
    regionFlag: string | null;
    envAWS_REGION: string | null;
    signingTime: string;
  };
  expected: {
    host: string;
    signingRegion: string;
    signedHeaders: string;
    xAmzExpires: string;
    queryParamOrder: string[];
    presignedUrl: string;
    token: string;
    canonicalRequest: string;
    stringToSign: string;
  };
}

/** `aws-iam-authenticator-tokens.json`. */
export interface AuthenticatorVectorFile {
  vectors: AuthenticatorVector[];
}
