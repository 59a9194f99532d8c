#!/bin/sh
# The pre-commit hook (.pre-commit-hooks.yaml): `encprops check` on the files pre-commit passes. pre-commit runs it from
# its own clone of this repository; the first run there builds the checker once (npm ci and esbuild, which needs the
# npm registry), later runs start at once. Node.js 20 or later must be on the PATH.
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$here/dist/cli.js" ]; then
  echo "encprops: building the checker in $here (first run only)" >&2
  (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2 && node scripts/build.mjs >&2)
fi
exec node "$here/dist/cli.js" check --skip-other "$@"
