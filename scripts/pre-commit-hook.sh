#!/usr/bin/env bash
# The pre-commit hook's entry (.pre-commit-hooks.yaml, language: script). pre-commit runs it
# from its own clone of this repository, with the user's repository as the working directory.
# It runs the committed bundle hook/bundle/wavegate.mjs (`npm run build:hook`: the CLI and its
# dependencies in one file), so nothing is installed and no network is needed: only node.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec node "$here/hook/bundle/wavegate.mjs" "$@"
