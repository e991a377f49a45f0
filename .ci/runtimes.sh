#!/usr/bin/env bash
# Runtime matrix (SPEC 1 and 7): the packed tarball, installed into an empty
# app, runs test/runtimes/conformance.js under Node 20/22/24, Deno 2 with no
# permission flags, Bun 1 and Cloudflare workerd (with and without
# nodejs_compat); a default esbuild bundle, an esbuild --platform=neutral
# bundle and `wrangler deploy --dry-run` must build with no alias or
# `external`, and each bundle runs in workerd. The runtimes are npm packages
# pinned in test/runtimes/package.json + package-lock.json, installed here
# only. Prints a matrix table; fails if any cell fails.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runtimes="$root/test/runtimes"
bin="$runtimes/node_modules"

echo "installing the pinned runtimes (npm ci --prefix test/runtimes)"
npm ci --prefix "$runtimes" --no-audit --no-fund --silent || exit 1

work=$(mktemp -d)
workerd_pid=
cleanup() {
  if [ -n "$workerd_pid" ]; then kill "$workerd_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The app: the packed tarball and nothing else (the optional peers stay
# uninstalled, as for a user who did not ask for them).
(cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null) || exit 1
app="$work/app"
mkdir -p "$app"
cat >"$app/package.json" <<'JSON'
{ "name": "conformance-app", "version": "0.0.0", "private": true, "type": "module" }
JSON
(cd "$app" && npm install --no-audit --no-fund --silent "$work"/eks-iam-auth-*.tgz) || exit 1
cp "$runtimes/conformance.js" "$runtimes/run.js" "$runtimes/worker.js" "$app/"
node -e '
  const fs = require("fs");
  const read = (p) => fs.readFileSync(p, "utf8");
  const [botocore, identity, out] = process.argv.slice(1);
  fs.writeFileSync(out, `export default { botocore: ${read(botocore)}, identity: ${read(identity)} };\n`);
' "$root/test/fixtures/vectors/botocore-tokens.json" \
  "$root/test/fixtures/vectors/sts-responses/get-caller-identity.json" "$app/vectors.js"

rows=()
failed=0
logs="$work/logs"
mkdir -p "$logs"

# record NAME VERSION STATUS TOKENS
record() {
  rows+=("$1|$2|$3|$4")
  if [ "$3" != "pass" ]; then failed=$((failed + 1)); fi
}

# Reads a conformance report (JSON) from $1 and records it as row $2/$3.
record_report() {
  local file=$1 name=$2 version=$3
  local summary
  summary=$(node -e '
    const fs = require("fs");
    const text = fs.readFileSync(process.argv[1], "utf8");
    const line = text.split("\n").find((l) => l.startsWith("CONFORMANCE ")) ?? "";
    const json = line ? line.slice(12) : text.trim();
    try {
      const r = JSON.parse(json);
      const bad = r.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
      for (const b of bad) console.error(`  failed: ${b}`);
      const t = r.tokens;
      console.log(`${r.ok ? "pass" : "FAIL"} ${t.identical === t.total ? "yes" : "NO"} (${t.identical}/${t.total})`);
    } catch { console.log("FAIL - (no report)"); }
  ' "$file")
  local status=${summary%% *}
  record "$name" "$version" "$status" "${summary#* }"
  if [ "$status" != "pass" ]; then sed -n 1,40p "$file"; fi
}

run_cli() {
  local name=$1 version=$2
  shift 2
  echo "--- $name ($version)"
  (cd "$app" && "$@") >"$logs/$name.log" 2>&1
  record_report "$logs/$name.log" "$name" "$version"
}

node22="$bin/node22/bin/node"
node24="$bin/node24/bin/node"
run_cli "node 20" "$(node --version)" node run.js
run_cli "node 22" "$("$node22" --version)" "$node22" run.js
run_cli "node 24" "$("$node24" --version)" "$node24" run.js
# Deno with no permission flags at all: no env, read, net or sys access.
export DENO_NO_UPDATE_CHECK=1 DENO_DIR="$work/deno-cache"
run_cli "deno (no flags)" "$("$bin/.bin/deno" --version | head -n 1 | cut -d' ' -f2)" "$bin/.bin/deno" run run.js
run_cli "bun" "$("$bin/.bin/bun" --version)" "$bin/.bin/bun" run.js

# Bundles, with the bundlers' default settings: no alias, no `external`.
esbuild="$bin/.bin/esbuild"
esbuild_version=$("$esbuild" --version)
bundle() {
  local name=$1 out=$2
  shift 2
  echo "--- $name"
  if (cd "$app" && "$esbuild" worker.js --bundle --format=esm --log-level=warning "$@" --outfile="$out") >"$logs/$name.log" 2>&1; then
    return 0
  fi
  cat "$logs/$name.log"
  record "$name" "$esbuild_version" "FAIL" "-"
  return 1
}
bundle "esbuild default" "$app/out/default.js" && default_ok=1 || default_ok=0
bundle "esbuild --platform=neutral" "$app/out/neutral.js" --platform=neutral && neutral_ok=1 || neutral_ok=0

wrangler_version=$("$node22" "$bin/wrangler/bin/wrangler.js" --version 2>/dev/null | tail -n 1)
cat >"$app/wrangler.toml" <<'TOML'
name = "conformance"
main = "worker.js"
compatibility_date = "2025-09-01"
TOML
echo "--- wrangler deploy --dry-run"
# No login and no telemetry: a dry run builds offline.
if (cd "$app" && WRANGLER_SEND_METRICS=false WRANGLER_LOG_PATH="$work/wrangler-logs" HOME="$work/home" \
  "$node22" "$bin/wrangler/bin/wrangler.js" deploy --dry-run --outdir "$app/out/wrangler") >"$logs/wrangler.log" 2>&1; then
  wrangler_ok=1
else
  wrangler_ok=0
  cat "$logs/wrangler.log"
  record "wrangler deploy --dry-run" "$wrangler_version" "FAIL" "-"
fi

workerd="$bin/.bin/workerd"
workerd_version=$("$workerd" --version | cut -d' ' -f2)
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# run_workerd NAME BUNDLE FLAGS: serve BUNDLE in workerd on a loopback port
# with compatibility FLAGS (a capnp list), fetch one report.
run_workerd() {
  local name=$1 bundle=$2 flags=$3
  echo "--- $name"
  local port config
  port=$(free_port)
  config="$work/$(echo "$name" | tr -c 'a-z0-9' '-').capnp"
  cp "$bundle" "$config.js"
  cat >"$config" <<CAPNP
using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:$port", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "$(basename "$config").js")],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = [$flags],
);
CAPNP
  "$workerd" serve "$config" >"$logs/$name.server.log" 2>&1 &
  workerd_pid=$!
  local report="$logs/$name.log"
  # Poll until workerd listens (up to 15 s), then fetch one report.
  node -e '
    const [url, out] = process.argv.slice(1);
    const deadline = Date.now() + 15000;
    (async () => {
      for (;;) {
        try {
          const response = await fetch(url);
          require("fs").writeFileSync(out, await response.text());
          return;
        } catch (error) {
          if (Date.now() > deadline) { console.error(String(error)); process.exit(1); }
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    })();
  ' "http://127.0.0.1:$port/" "$report" || : >"$report"
  kill "$workerd_pid" 2>/dev/null
  wait "$workerd_pid" 2>/dev/null
  workerd_pid=
  if [ ! -s "$report" ]; then cat "$logs/$name.server.log"; fi
  record_report "$report" "$name" "$workerd_version"
}

if [ "$default_ok" = 1 ]; then
  run_workerd "workerd, no nodejs_compat (esbuild default bundle)" "$app/out/default.js" ''
  run_workerd "workerd, nodejs_compat (esbuild default bundle)" "$app/out/default.js" '"nodejs_compat"'
fi
if [ "$neutral_ok" = 1 ]; then
  run_workerd "workerd, no nodejs_compat (esbuild neutral bundle)" "$app/out/neutral.js" ''
fi
if [ "$wrangler_ok" = 1 ]; then
  run_workerd "workerd, no nodejs_compat (wrangler dry-run bundle)" "$app/out/wrangler/worker.js" ''
fi

echo
echo "| runtime | version | result | tokens byte-identical to botocore |"
echo "|---|---|---|---|"
for row in "${rows[@]}"; do
  IFS='|' read -r name version status tokens <<<"$row"
  echo "| $name | $version | $status | $tokens |"
done
echo "(esbuild $esbuild_version builds the bundles; wrangler $wrangler_version under Node $("$node22" --version))"
if [ "$failed" -ne 0 ]; then
  echo "$failed runtime(s) failed"
  exit 1
fi
