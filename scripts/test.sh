#!/usr/bin/env bash
# The test command: lint, format, types, import contracts, then the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# The real v8 spec and world snapshot live in ../shared/gamedata; tests read them through this.
if [ -z "${GUILDMASTER_GAMEDATA:-}" ] && [ -d ../shared/gamedata ]; then
  export GUILDMASTER_GAMEDATA="$(cd ../shared/gamedata && pwd)"
fi
.venv/bin/ruff check src tests
.venv/bin/ruff format --check src tests
.venv/bin/mypy
.venv/bin/lint-imports
.venv/bin/pytest -q -n 2 "$@"
