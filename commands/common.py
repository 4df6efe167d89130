"""Helpers shared by the CLI command modules."""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from settings import get_settings


def runtime():
    from services.runtime import build_runtime

    return build_runtime(get_settings())


def user() -> str:
    return get_settings().user


def json_text(payload: Any, **options: Any) -> str:
    """Strict JSON: NaN and infinities (an AUC that cannot be computed) become null, numpy numbers plain, so
    that any parser reads it (Python's json writes NaN, which JSON.parse and jq refuse)."""
    return json.dumps(_finite(payload), default=str, allow_nan=False, **options)


def _finite(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit(args: argparse.Namespace, payload: Any, table=None) -> None:
    """One JSON object with --json; otherwise a table or key: value lines."""
    if getattr(args, "json", False):
        print(json_text(payload, indent=2))
    elif table is not None:
        print(table.to_string(index=False) if len(table) else "(none)")
    else:
        for key, value in payload.items():
            print(f"{key}: {value}")


def fail(args: argparse.Namespace, message: str, problems: list[dict] | tuple = ()) -> int:
    """An error: 'error: …' (and the file's errors, one a line) on stderr, and with --json also one JSON object
    {"error", "problems"} (all of them) on stdout, so a script reading stdout gets an answer either way. Exit
    status 2."""
    print(f"error: {message}", file=sys.stderr)
    for problem in problems:
        if problem["problem"] in message or problem.get("severity", "error") != "error":
            continue  # listed already, or a note on a file that was refused anyway (a constant column "ignored")
        print(f"  row {problem.get('row') or '-'} · column {problem.get('column') or '-'} · {problem['problem']}",
              file=sys.stderr)
    if getattr(args, "json", False):
        print(json_text({"error": message, "problems": list(problems)}, indent=2))
    return 2


def echo_progress(progress: float, message: str) -> None:
    print(f"[{progress:5.0%}] {message}", file=sys.stderr, flush=True)


def add_command(group, name: str, func, help_text: str) -> argparse.ArgumentParser:
    sub = group.add_parser(name, help=help_text)
    sub.add_argument("--json", action="store_true", help="print one JSON object")
    sub.set_defaults(func=func)
    return sub


def output_file(out: str | Path, suffixes: tuple[str, ...] = (".csv", ".txt", ".xlsx", ".xlsm")) -> Path:
    """Check --out before any work: its folder is created, and a place that cannot be written is an error
    now, not after the scores are stored (a stored batch no file ever received)."""
    from services.errors import UserFacingError

    path = Path(out)
    if path.is_dir():
        raise UserFacingError(f"--out {out} is a folder; give a file name such as {path / 'scored.csv'}.")
    if path.suffix.lower() not in suffixes:
        raise UserFacingError(f"--out {out}: write a {' or '.join(dict.fromkeys(s.lstrip('.') for s in suffixes))} "
                              "file (the format follows the file name).")
    probe = path.with_name(path.name + ".part")
    blocking = next((p for p in path.parents if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise UserFacingError(f"Cannot write --out {out}: {blocking} is a file, not a folder.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise UserFacingError(f"Cannot write --out {out}: {exc.strerror or exc}.") from None
    return path


def write_table(frame, out: Path, xlsx=None) -> str:
    """CSV, or Excel for .xlsx/.xlsm, neutralised against spreadsheet formulas; the file appears whole
    or not at all (written beside it, then renamed). ``xlsx``: the workbook's bytes from the frame, where a desk
    writes its own (the maintenance plan's notes sheet). Returns the format written."""
    from reports.exporters import export_csv, export_frame_xlsx

    fmt = "xlsx" if out.suffix.lower() in (".xlsx", ".xlsm") else "csv"
    part = out.with_name(out.name + ".part")
    part.write_bytes((xlsx or export_frame_xlsx)(frame) if fmt == "xlsx" else export_csv(frame))
    part.replace(out)
    return fmt
