#!/usr/bin/env bash
# Installable from git (SPEC 7; issue "the package cannot be installed from
# git"): `npm install <git url>` clones the repository, installs its
# dependencies, runs its `prepare` script (which builds dist/) and packs it.
# Proven on a clone of the committed checkout, as `git+file://` (the same
# path npm takes for a GitHub URL), into an empty project: the command line
# runs from node_modules/.bin and the library imports. Then `npm install
# <folder>` of this checkout, where `npm ci` ran (and built dist/ the same
# way: .ci/run checks that). Only the npm registry is reached, through npm's
# cache.
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-local "$root" "$work/repo"

check_app() {
  local app=$1
  (
    cd "$app"
    ./node_modules/.bin/eks-iam-auth --version
    ./node_modules/.bin/eks-iam-auth lint - <<<'data: {mapAccounts: "- \"111122223333\""}' >/dev/null
    node --input-type=module -e "
      const lib = await import('eks-iam-auth');
      if (typeof lib.generateToken !== 'function' || typeof lib.parseAwsAuth !== 'function') {
        console.error('the installed package does not export the library'); process.exit(1);
      }
      console.log('imported eks-iam-auth from', '$app');
    "
  )
}

new_app() {
  mkdir -p "$1"
  printf '{ "name": "consumer", "version": "0.0.0", "private": true, "type": "module" }\n' >"$1/package.json"
}

echo "--- npm install git+file://…/repo (prepare builds dist/ in npm's own clone)"
new_app "$work/from-git"
(cd "$work/from-git" && npm install --no-audit --no-fund --prefer-offline --silent "git+file://$work/repo")
check_app "$work/from-git"

echo "--- npm install <folder> of a checkout where npm ci ran"
test -f "$root/dist/cli.js" || { echo "$root/dist is missing: run npm ci there first" >&2; exit 1; }
new_app "$work/from-folder"
(cd "$work/from-folder" && npm install --no-audit --no-fund --silent "$root")
check_app "$work/from-folder"
