#!/usr/bin/env bash
# The fresh-clone rule (SPEC 7): the README's two commands work on a clone
# with nothing beside it. Clone the committed checkout into an empty
# temporary directory, hard-link the node_modules that `npm ci` just
# installed (same lockfiles, so the same trees; nothing is fetched and nothing
# outside the clone is read), then run `npm run demo` and `npm test` there.
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-local "$root" "$work/repo"
# A hard-linked copy when the file system allows it, a plain copy otherwise;
# the SARIF Multitool's own install too (test/sarif-consumer, from its own
# lockfile), when .ci/run installed it.
link_modules() {
  cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"
}
link_modules "$root/node_modules" "$work/repo/node_modules"
if [ -d "$root/test/sarif-consumer/node_modules" ]; then
  link_modules "$root/test/sarif-consumer/node_modules" "$work/repo/test/sarif-consumer/node_modules"
fi
cd "$work/repo"
if [ "$(ls -A "$work")" != repo ]; then
  echo "the temporary directory holds more than the clone" >&2
  exit 1
fi
echo "--- npm run demo (in $work/repo)"
npm run demo
echo "--- npm test (in $work/repo)"
# Under CI the JSON report is written inside the clone and dropped with it;
# the suite's own exit code decides this step.
npm test
