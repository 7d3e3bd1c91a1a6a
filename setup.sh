#!/usr/bin/env bash
# One command from nothing to a first answer: creates .venv, installs
# forum-rag with a CPU-only torch, builds the demo index from the bundled
# sample thread and asks it a question. No network beyond the package index,
# no API key.
set -euo pipefail
cd "$(dirname "$0")"
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip --quiet --disable-pip-version-check)
"${pip[@]}" install --upgrade pip
# The CPU build first: left to itself pip would pick a multi-GB CUDA build.
"${pip[@]}" install torch==2.13.0 \
  || "${pip[@]}" install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "${pip[@]}" install -c constraints.txt -e '.[test]'
# The browser tests drive Debian's Chromium; Playwright never downloads a browser.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq chromium >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; } \
      || echo "setup: could not install chromium; the browser tests will be skipped" >&2
  else
    echo "setup: /usr/bin/chromium is missing (as root: apt-get install chromium); the browser tests will be skipped" >&2
  fi
fi
echo "forum-rag installed in .venv; asking the bundled sample thread:" >&2
.venv/bin/forum-rag ask "What did Elon say about Dojo in Q1?"
