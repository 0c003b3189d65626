#!/usr/bin/env bash
# Creates ./.venv (if missing or stale) and installs guildmaster with its dev tools into it.
# Also installs Debian's chromium (the dashboard's browser tests drive /usr/bin/chromium through
# playwright; never `playwright install`: browsers cannot be downloaded here).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
if [ ! -x /usr/bin/chromium ] && [ "${GUILDMASTER_SKIP_BROWSER:-}" != "1" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
      SUDO="sudo -n"
    fi
    echo "bootstrap: installing Debian's chromium for the browser tests" >&2
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "bootstrap: /usr/bin/chromium is missing and apt-get is not available" >&2
  fi
fi
