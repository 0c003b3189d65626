#!/usr/bin/env bash
# The main job on the embedded default: local server + generated world + a team of 5.
set -euo pipefail
cd "$(dirname "$0")/.."
# The demo needs no browser (only the dashboard tests do).
GUILDMASTER_SKIP_BROWSER=1 bash scripts/bootstrap.sh
exec .venv/bin/guildmaster demo "$@"
