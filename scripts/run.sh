#!/usr/bin/env bash
# Install (first run only) and start Decision Desk at http://localhost:8501.
# Settings come from DD_* environment variables or a .env file (see README); the defaults need
# nothing: state lives in ./var. Extra arguments go to `streamlit run`, e.g. --server.port 8600.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
# The embedded language model is converted once into the state folder's cache (about 20 s, first start only), so
# the assistant's first answer takes seconds rather than half a minute. Without it answers keep their checked text.
.venv/bin/python - <<'PY' || echo "note: the embedded language model could not be prepared; the assistant will \
answer with its checked sentences." >&2
from ml.llm import embedded_folder
from settings import get_settings

settings = get_settings()
if settings.llm_backend == "embedded":
    embedded_folder(settings.state_dir.resolve() / "llm-cache")
PY
# Streamlit's own upload cap follows the app's limit (the app checks it again with a clear message).
export STREAMLIT_SERVER_MAX_UPLOAD_SIZE="${STREAMLIT_SERVER_MAX_UPLOAD_SIZE:-${DD_MAX_UPLOAD_MB:-1024}}"
exec .venv/bin/streamlit run app.py "$@"
