#!/usr/bin/env bash
# Set up a virtual environment, index the bundled corpus and start the assistant.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False TOKENIZERS_PARALLELISM=false
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e .
.venv/bin/integrity ingest
if .venv/bin/integrity --help | grep -q " serve "; then
  exec .venv/bin/integrity serve "$@"
else
  exec .venv/bin/integrity chat "$@"
fi
