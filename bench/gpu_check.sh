#!/usr/bin/env bash
# Everything that needs a CUDA device, in one run: the CUDA tests, both epoch benches, and the desks'
# CLI trained end to end on the GPU (RUL also on the CPU, to compare). Prints a summary table last.
#
#   bash bench/gpu_check.sh [LOG_DIR]        # PYTHON=... to pick the interpreter (default: python3)
#
# Needs the project's dependencies and ../shared/data/pneumoniamnist. Without CUDA it says so and exits 0.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=${PYTHON:-python3}
LOGS=${1:-$(mktemp -d)}
WORK=$(mktemp -d)
mkdir -p "$LOGS"
export PYTHONUNBUFFERED=1 DD_LOAD_SAMPLES=false DD_STATE_DIR="$WORK/state"
SUMMARY=()

step() {  # step NAME COMMAND...: run, log to LOGS/NAME.log, remember status and seconds
    local name=$1 started=$SECONDS rc
    shift
    echo "==> $name: $*"
    "$@" >"$LOGS/$name.log" 2>&1
    rc=$?
    tail -n 25 "$LOGS/$name.log"
    SUMMARY+=("$(printf '%-22s rc=%-3s %5ss' "$name" "$rc" "$((SECONDS - started))")")
    return $rc
}

if ! "$PY" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
    echo "No CUDA device visible: nothing to check here (the CPU paths run in the test suite)."
    exit 0
fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$PY" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)"

step tests "$PY" -m pytest -q -p no:cacheprovider tests/gpu tests/unit/test_device.py \
    tests/unit/test_triage_cnn.py tests/unit/test_maintenance_rul.py tests/unit/test_assistant_llm.py
step bench_rul_epoch "$PY" -m bench.maintenance_gpu_bench
step bench_cnn_epoch "$PY" bench/triage_gpu_bench.py --threads "$(nproc)"
step data "$PY" bench/gpu_check_data.py "$WORK/in"

rul_rmse() {  # rul_rmse SCORED.csv: RMSE of the scored last cycles against the fleet's true remaining lives
    "$PY" - "$1" "$WORK/in/fleet_test_rul.csv" <<'EOF'
import sys
import numpy as np
import pandas as pd
scored, truth = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
both = scored.merge(truth, on="unit", suffixes=("_pred", ""))
error = both["rul_pred"] - both["rul"].clip(upper=125)
inside = ((both["rul"].clip(upper=125) >= both["rul_low"]) & (both["rul"].clip(upper=125) <= both["rul_high"])).mean()
print(f"{len(both)} test units: RMSE {np.sqrt((error ** 2).mean()):.2f} (truth capped at 125), "
      f"{inside:.0%} inside the interval")
EOF
}
rul() {  # rul DEVICE: train-rul and score-rul on the generated fleet, then the test units' RMSE
    DD_DEVICE=$1 step "rul_train_$1" "$PY" cli.py maintenance train-rul --data "$WORK/in/fleet_train.csv" \
        --unit unit --time cycle --json
    local run
    run=$(grep -m1 '"run_id"' "$LOGS/rul_train_$1.log" | tr -dc '0-9')
    DD_DEVICE=$1 step "rul_score_$1" "$PY" cli.py maintenance score-rul --run "${run:-0}" \
        --data "$WORK/in/fleet_test.csv" --out "$WORK/rul_$1.csv" && rul_rmse "$WORK/rul_$1.csv"
}
rul cuda

DD_DEVICE=cuda step triage_train "$PY" cli.py triage train --images "$WORK/in/images/train" --size 64 --epochs 8 --json
run=$(grep -m1 '"run_id"' "$LOGS/triage_train.log" | tr -dc '0-9')
DD_DEVICE=cuda step triage_score "$PY" cli.py triage score --run "${run:-0}" --images "$WORK/in/images/score" \
    --out "$WORK/worklist.csv" --json

rul cpu  # the same training on the CPU, to compare time and quality

echo
echo "== GPU check summary ($(nvidia-smi --query-gpu=name --format=csv,noheader | head -1))"
printf '%s\n' "${SUMMARY[@]}"
