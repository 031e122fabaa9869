"""Scalars of the YAML 1.2 core schema, plus ISO dates: what plain text stands for, and how to
write a value so that it reads back as itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from typing import Any

from tdekit.text import CONTROL_IN_LINE

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?"
)


def resolve_plain(value: str) -> Any:
    """The value a plain (unquoted) scalar stands for. Raises ValueError for impossible dates."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    first = value[0]
    if first in "0123456789-+.":
        if _INT.fullmatch(value):
            if value.startswith("0o"):
                return int(value[2:], 8)
            if value.startswith("0x"):
                return int(value[2:], 16)
            return int(value.replace("_", ""))
        if _DATE.fullmatch(value):
            year, month, day = (int(part) for part in value.split("-"))
            return dt.date(year, month, day)
        if _DATETIME.fullmatch(value):
            return _parse_datetime(value)
        if _FLOAT.fullmatch(value) and value not in {".", "-", "+"}:
            lowered = value.lower()
            if lowered.endswith("inf"):
                return float("-inf") if value.startswith("-") else float("inf")
            if lowered.endswith("nan"):
                return float("nan")
            return float(value.replace("_", ""))
    return value


def _parse_datetime(value: str) -> dt.datetime:
    date_part, _, rest = re.split(r"([Tt]|[ \t]+)", value, maxsplit=1)
    rest = rest.strip()
    zone = re.search(r"(Z|[-+][0-9]{1,2}(?::?[0-9]{2})?)$", rest)
    tz: dt.tzinfo | None = None
    if zone:
        rest = rest[: zone.start()].strip()
        if zone.group() == "Z":
            tz = dt.timezone.utc
        else:
            sign = -1 if zone.group()[0] == "-" else 1
            digits = zone.group()[1:].replace(":", "")
            hours, minutes = int(digits[:-2] or digits), int(digits[-2:]) if len(digits) > 2 else 0
            tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    year, month, day = (int(part) for part in date_part.split("-"))
    hms, _, frac = rest.partition(".")
    hour, minute, second = (int(part) for part in hms.split(":"))
    micro = int((frac + "000000")[:6]) if frac else 0
    return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)


def looks_like_date(value: str) -> bool:
    """True for text shaped like an ISO date or date and time (real or not)."""
    return bool(_DATE.fullmatch(value) or _DATETIME.fullmatch(value))


@functools.cache
def _plain_safe() -> re.Pattern[str]:
    """Text that may stay a plain scalar. Compiled when first written, not on import: the wide
    character range takes about 15 ms to compile, and most commands never write."""
    return re.compile(r"[A-Za-z_\u00c0-\uffff][^\x00-\x1f:#?\"'\[\]{},&*!|>%@`\\]*")


#: Words that YAML 1.1 readers (PyYAML, many editors) take for booleans: quoted for them.
_YAML11_BOOL = frozenset({"y", "n", "yes", "no", "on", "off"})


def yaml_scalar(value: object) -> str:
    """Write ``value`` as a one-line YAML scalar that reads back as exactly ``value``.

    Text stays plain when that is safe (also for YAML 1.1 readers), else it is double-quoted
    with JSON escapes, which are valid YAML; characters a YAML file may not hold are escaped.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    if (
        _plain_safe().fullmatch(text)
        and not CONTROL_IN_LINE.search(text)
        and text == text.strip()
        and " -" not in text
        and text.lower() not in _YAML11_BOOL
        and resolve_plain(text) == text
    ):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    # what a YAML file may not hold as it is, written as \uXXXX escapes
    return CONTROL_IN_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
