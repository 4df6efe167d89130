"""The number check every phrased answer passes: the numbers a reply writes, each grounded in a number a tool
returned at the precision it was written (moved out of ``domain.assistant``)."""
from __future__ import annotations

import re

_TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}|-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")


def number_tokens(text: str) -> list[str]:
    """Numbers (and ISO dates) written in a reply, as they appear."""
    return _TOKEN.findall(text)


def _token_value(token: str) -> float:
    return float(token.replace(",", ""))


def grounded(token: str, evidence_numbers: list[float], evidence_text: str) -> bool:
    """A reply number is grounded when some tool number rounds to it at the precision it was written."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", token):
        return token in evidence_text
    value = _token_value(token)
    decimals = len(token.split(".")[1]) if "." in token else 0
    tolerance = 0.5 * 10 ** (-decimals) + 1e-9
    return any(abs(abs(value) - abs(n)) <= max(tolerance, abs(n) * 5e-4 if abs(value) < 1 else tolerance)
               for n in evidence_numbers)


def invented_numbers(reply: str, evidence_numbers: list[float], evidence_text: str) -> list[str]:
    """Numbers in ``reply`` that no tool result supports (the check every phrased answer must pass)."""
    return [t for t in number_tokens(reply) if not grounded(t, evidence_numbers, evidence_text)]


def evidence_numbers(text: str) -> list[float]:
    """Every number in the tool's rows, query and parameters, as floats."""
    values = []
    for token in _TOKEN.findall(text):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", token):
            values.extend(float(part) for part in token.split("-"))
        else:
            values.append(_token_value(token))
    return values
