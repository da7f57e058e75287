#!/usr/bin/env bash
# The pre-commit hook's entry (.pre-commit-hooks.yaml, language: script). pre-commit runs it
# from its own clone of this repository, with the user's repository as the working directory.
# The first run installs the dependencies and builds wavegate inside that clone (npm ci and
# npm run build, output on stderr); later runs find dist/ and start at once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$here/dist/.built" ]; then
  {
    echo "wavegate: first run of the hook: installing and building in $here"
    (cd "$here" && npm ci --no-audit --no-fund --ignore-scripts && npm run build)
  } 1>&2
  : > "$here/dist/.built"
fi
exec node "$here/bin/wavegate.js" "$@"
