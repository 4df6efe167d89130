#!/usr/bin/env bash
# Install (first run only) and start Decision Desk at http://localhost:8501.
# Settings come from DD_* environment variables or a .env file (see README); the defaults need
# nothing: state lives in ./var. Extra arguments go to `streamlit run`, e.g. --server.port 8600.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
exec .venv/bin/streamlit run app.py "$@"
