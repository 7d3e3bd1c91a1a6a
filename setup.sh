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
"${pip[@]}" install -c constraints.txt -e '.[test]'
echo "forum-rag installed in .venv; asking the bundled sample thread:" >&2
.venv/bin/forum-rag ask "What did Elon say about Dojo in Q1?"
