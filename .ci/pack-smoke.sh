#!/usr/bin/env bash
# Test the artifact, not the source tree: pack the package, install the
# tarball into an empty project, import it, and typecheck a consumer against
# its .d.ts under NodeNext resolution.
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
cd "$work"
cat > package.json <<'JSON'
{ "name": "consumer", "version": "0.0.0", "private": true, "type": "module" }
JSON
npm install --no-audit --no-fund --silent "./$tarball"
cat > smoke.mjs <<'JS'
import * as lib from 'eks-iam-auth';
const expected = ['generateToken', 'formatExecCredential', 'parseToken', 'verifyToken',
  'parseAwsAuth', 'mapIdentity', 'canonicalizeArn', 'reviewToken', 'EksAuthError'];
const missing = expected.filter((name) => typeof lib[name] !== 'function');
if (missing.length) { console.error('missing exports:', missing); process.exit(1); }
const generated = await lib.generateToken({
  clusterId: 'smoke',
  region: 'us-west-2',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  signingDate: new Date('2024-01-15T12:34:56Z'),
});
const parsed = lib.parseToken(generated.token);
if (parsed.host !== 'sts.us-west-2.amazonaws.com') { console.error('bad parse'); process.exit(1); }
console.log('imported and round-tripped a token from the packed tarball');
JS
node smoke.mjs
cat > consumer.ts <<'TS'
import { generateToken, parseToken, type ParsedToken, type VerifiedIdentity } from 'eks-iam-auth';
const token: string = (await generateToken({ clusterId: 'c', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })).token;
const parsed: ParsedToken = parseToken(token);
export const host: string = parsed.host;
export type Identity = VerifiedIdentity;
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "target": "ES2022",
  "strict": true, "noEmit": true, "skipLibCheck": false, "lib": ["ES2022", "DOM"], "types": [] }, "files": ["consumer.ts"] }
JSON
"$root/node_modules/.bin/tsc" -p tsconfig.json
echo "the packed .d.ts typechecks in a NodeNext consumer"
