"""Forum dates to ISO 8601 (null when a date cannot be read: never guessed)."""
from __future__ import annotations

import re
from datetime import datetime, timezone

# Display formats seen on forum pages, tried in order after ISO forms.
_DISPLAY = (
    "%b %d, %Y at %I:%M %p",  # XenForo title attribute: "Mar 9, 2019 at 6:41 PM"
    "%a %b %d, %Y %I:%M %p",  # phpBB 3: "Wed Jan 02, 2013 7:14 pm"
    "%a %b %d, %Y %H:%M",
    "%a %b %d, %Y %I:%M %p",
    "%B %d, %Y, %I:%M:%S %p",  # SMF: "January 02, 2013, 07:14:22 pm"
    "%b %d, %Y %I:%M %p",  # vBulletin / Something Awful: "Jan 2, 2013 7:14 PM"
    "%b %d, %Y %H:%M",
    "%m-%d-%Y, %I:%M %p",  # vBulletin 3: "01-02-2013, 07:14 PM"
    "%d %b %Y %H:%M",
    "%b %d, %Y",
)


def from_unix(value: str | int | float | None) -> str | None:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat(timespec="seconds")


def iso(value: str | None) -> str | None:
    """An ISO-ish or displayed date as ISO 8601; the offset is kept when given."""
    if not value:
        return None
    text = re.sub(r"\s+", " ", value).strip()
    fixed = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text.replace("Z", "+00:00"))
    try:
        return datetime.fromisoformat(fixed).isoformat(timespec="seconds")
    except ValueError:
        pass
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text).replace("\u00bb", "").strip(" ,")
    for fmt in _DISPLAY:
        try:
            return datetime.strptime(cleaned, fmt).isoformat(timespec="seconds")
        except ValueError:
            continue
    return None
