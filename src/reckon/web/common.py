"""What the app and the report share and that needs no web server: colours and the calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["EVENT_COLOURS", "calendar", "WEEKLY_AFTER_DAYS"]

#: colours of event types, shared by the map, the timeline and the report
EVENT_COLOURS = {
    "battles": "#c0392b",
    "violence_against_civilians": "#8e44ad",
    "explosions_remote_violence": "#d35400",
    "protests": "#2980b9",
    "riots": "#16a085",
    "strategic_developments": "#7f8c8d",
    "displacement": "#27ae60",
}


#: past this many days the timeline counts per week
WEEKLY_AFTER_DAYS = 732


def calendar(dates: Any) -> tuple[list[str], str]:
    """Every day (or every week, from Monday, past two years) from the first date to the last, gaps included."""
    ds = sorted(dt.date.fromisoformat(str(d)) for d in dates)
    if not ds:
        return [], "day"
    first, last = ds[0], ds[-1]
    if (last - first).days > WEEKLY_AFTER_DAYS:
        first -= dt.timedelta(days=first.weekday())
        return [(first + dt.timedelta(weeks=i)).isoformat() for i in range((last - first).days // 7 + 1)], "week"
    return [(first + dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)], "day"
