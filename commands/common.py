"""Helpers shared by the CLI command modules."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from settings import get_settings


def runtime():
    from services.runtime import build_runtime

    return build_runtime(get_settings())


def user() -> str:
    return get_settings().user


def emit(args: argparse.Namespace, payload: Any, table=None) -> None:
    """One JSON object with --json; otherwise a table or key: value lines."""
    if getattr(args, "json", False):
        print(json.dumps(payload, default=str, indent=2))
    elif table is not None:
        print(table.to_string(index=False) if len(table) else "(none)")
    else:
        for key, value in payload.items():
            print(f"{key}: {value}")


def echo_progress(progress: float, message: str) -> None:
    print(f"[{progress:5.0%}] {message}", file=sys.stderr, flush=True)


def add_command(group, name: str, func, help_text: str) -> argparse.ArgumentParser:
    sub = group.add_parser(name, help=help_text)
    sub.add_argument("--json", action="store_true", help="print one JSON object")
    sub.set_defaults(func=func)
    return sub
