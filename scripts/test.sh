#!/usr/bin/env bash
# Set up a virtual environment from the project's own files and run the whole test suite:
# ruff, mypy, pytest. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False TOKENIZERS_PARALLELISM=false
# System tools the browser, DOCX-to-PDF and screenshot tests use (Debian packages).
if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 \
   || ! command -v pdftoppm >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils >/dev/null) \
      || echo "warning: could not install chromium/libreoffice/poppler/fonts-noto-cjk; browser and PDF tests will be skipped" >&2
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e '.[test]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/pytest -q "$@"
