"""Time expressions in a question, read against the corpus's own dates:
"in May 2019", "on May 28", "in Q1", "last week", "over the weekend",
"since Tuesday". "Now" is the day of the latest post, so relative phrases
mean what they meant to the people posting."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY_OF_MONTH = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_QUARTER = r"(?:q(?P<q>[1-4])|(?P<qword>first|second|third|fourth)\s+quarter)"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    text: str  # the phrase as written
    span: tuple[int, int]
    relative: bool  # depends on "now" (last week, yesterday), not a calendar date


def _month_number(name: str) -> int:
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(name.lower()[:3]))


def _month_range(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def _latest_year_for(month: int, now: date) -> int:
    """A month without a year means the most recent one up to now."""
    return now.year if month <= now.month else now.year - 1


def _on_day(m: re.Match, now: date) -> tuple[date, date] | None:
    month = _month_number(m.group("month"))
    year = int(m.group("year")) if m.group("year") else _latest_year_for(month, now)
    try:
        day = date(year, month, int(m.group("day")))
    except ValueError:
        return None
    return day, day


def _in_month(m: re.Match, now: date) -> tuple[date, date]:
    month = _month_number(m.group("month"))
    return _month_range(int(m.group("year")) if m.group("year") else _latest_year_for(month, now), month)


def _in_quarter(m: re.Match, now: date) -> tuple[date, date]:
    q = int(m.group("q")) if m.group("q") else ("first", "second", "third", "fourth").index(m.group("qword").lower()) + 1
    year = int(m.group("year")) if m.groupdict().get("year") else (now.year if (q - 1) * 3 < now.month else now.year - 1)
    return date(year, 3 * q - 2, 1), _month_range(year, 3 * q)[1]


def _last_weekday(m: re.Match, now: date) -> tuple[date, date]:
    back = (now.weekday() - DAYS.index(m.group("weekday").lower())) % 7
    if back == 0 and m.group(0).lower().startswith("last"):
        back = 7
    day = now - timedelta(days=back)
    return day, day


def _weekend(_: re.Match, now: date) -> tuple[date, date]:
    saturday = now - timedelta(days=(now.weekday() - 5) % 7)
    return saturday, saturday + timedelta(days=1)


def _week(offset: int) -> Callable[[re.Match, date], tuple[date, date]]:
    def period(_: re.Match, now: date) -> tuple[date, date]:
        monday = now - timedelta(days=now.weekday()) - timedelta(weeks=offset)
        return monday, monday + timedelta(days=6)

    return period


def _days_back(m: re.Match, now: date) -> tuple[date, date]:
    count = int(m.group("n")) if m.group("n").isdigit() else ("two", "three", "four", "five", "six", "seven").index(m.group("n").lower()) + 2
    return now - timedelta(days=count - 1), now


def _relative_day(offset: int) -> Callable[[re.Match, date], tuple[date, date]]:
    return lambda _, now: (now - timedelta(days=offset), now - timedelta(days=offset))


def _month_offset(offset: int) -> Callable[[re.Match, date], tuple[date, date]]:
    def period(_: re.Match, now: date) -> tuple[date, date]:
        year, month = divmod(now.year * 12 + now.month - 1 - offset, 12)
        return _month_range(year, month + 1)

    return period


# (pattern, resolver, relative); tried in order, first match per position wins.
_RULES: tuple[tuple[re.Pattern[str], Callable, bool], ...] = tuple(
    (re.compile(p, re.IGNORECASE), f, rel)
    for p, f, rel in (
        (r"\b(?P<iso>\d{4}-\d\d-\d\d)\b", lambda m, now: (date.fromisoformat(m["iso"]),) * 2, False),
        (rf"\b{_MONTH}\.?\s+{_DAY_OF_MONTH}\b(?:,?\s+{_YEAR})?", _on_day, False),
        (rf"\b{_DAY_OF_MONTH}\s+(?:of\s+)?{_MONTH}\b(?:,?\s+{_YEAR})?", _on_day, False),
        (rf"\b{_QUARTER}(?:\s+(?:of\s+)?{_YEAR})?\b", _in_quarter, False),
        (rf"\b(?:in|during|of|since|before|after|until|from)\s+{_MONTH}\b(?:\s+{_YEAR})?", _in_month, False),
        (rf"\b{_MONTH}\s+{_YEAR}\b", _in_month, False),
        (rf"\b(?:in|during)\s+{_YEAR}\b", lambda m, now: (date(int(m["year"]), 1, 1), date(int(m["year"]), 12, 31)), False),
        (r"\byesterday\b", _relative_day(1), True),
        (r"\btoday\b", _relative_day(0), True),
        (r"\b(?:last|past|previous)\s+(?P<n>\d{1,2}|two|three|four|five|six|seven)\s+days\b", _days_back, True),
        (r"\b(?:last|previous)\s+week\b", _week(1), True),
        (r"\bthis\s+week\b", _week(0), True),
        (r"\b(?:over\s+|during\s+|on\s+)?(?:the|this|last)\s+weekend\b", _weekend, True),
        (r"\b(?:last|previous)\s+month\b", _month_offset(1), True),
        (r"\bthis\s+month\b", _month_offset(0), True),
        (rf"\b(?:on|since|before|after|until|from|last)\s+{_WEEKDAY}\b", _last_weekday, True),
    )
)
_OPEN_START = re.compile(r"\b(?:since|after|from)\s+$", re.IGNORECASE)
_OPEN_END = re.compile(r"\b(?:before|until|up\s+to)\s+$", re.IGNORECASE)


def find_period(question: str, now: date | None) -> Period | None:
    """The first time expression in the question, as a date range (None without one)."""
    found: list[tuple[int, Period]] = []
    for pattern, resolve, relative in _RULES:
        if relative and now is None:
            continue
        for m in pattern.finditer(question):
            if any(m.start() < p.span[1] and p.span[0] < m.end() for _, p in found) or _modal_may(m):
                continue
            try:
                span = resolve(m, now or date.today())
            except ValueError:
                span = None
            if span:
                found.append((m.start(), Period(span[0], span[1], m.group(0), m.span(), relative)))
    if not found:
        return None
    period = min(found, key=lambda item: item[0])[1]
    return _open_ended(question, period)


def _modal_may(m: re.Match) -> bool:
    """Lower-case "may" is the verb ("they may 3D print"), not the month."""
    return m.groupdict().get("month") == "may"


def _open_ended(question: str, period: Period) -> Period:
    """"since May 28" runs to the end of time; "before May 28" from the start."""
    lead = period.text.split(" ", 1)[0].lower()
    before = question[: period.span[0]]
    after = lead == "after" or re.search(r"\bafter\s+$", before, re.IGNORECASE)
    if lead in {"since", "after", "from"} or _OPEN_START.search(before):
        start = period.end + timedelta(days=1) if after else period.start
        return Period(start, date.max, period.text, period.span, period.relative)
    if lead in {"before", "until"} or _OPEN_END.search(before):
        before_it = lead == "before" or re.search(r"\bbefore\s+$", before, re.IGNORECASE)
        end = period.start - timedelta(days=1) if before_it else period.end
        return Period(date.min, end, period.text, period.span, period.relative)
    return period
