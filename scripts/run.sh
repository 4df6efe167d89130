#!/usr/bin/env bash
# Install (first run only) and start Decision Desk at http://localhost:8501.
# Settings come from DD_* environment variables or a .env file (see README); the defaults need
# nothing: state lives in ./var. Extra arguments go to `streamlit run`, e.g. --server.port 8600.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
# Streamlit's own upload cap follows the app's limit (the app checks it again with a clear message).
export STREAMLIT_SERVER_MAX_UPLOAD_SIZE="${STREAMLIT_SERVER_MAX_UPLOAD_SIZE:-${DD_MAX_UPLOAD_MB:-1024}}"
exec .venv/bin/streamlit run app.py "$@"
