"""Today's date as tdekit prints it: the real one, or ``SOURCE_DATE_EPOCH``'s for reproducible output."""

from __future__ import annotations

import datetime as dt
import os

from tdekit.errors import UsageError


def today(environ: dict[str, str] | None = None) -> dt.date:
    """Today's date, or the date of ``SOURCE_DATE_EPOCH`` when set (for reproducible output)."""
    value = (environ if environ is not None else os.environ).get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        try:
            return dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds") from None
    return dt.date.today()
