"""Date arithmetic for TIMEX3 values: anchors, weekdays, nearest years, seasons, Hijri conversion."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

from hijridate import Gregorian, Hijri

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})")

# How close (days) a date ahead of publication must be for a yearless date without tense cues to be read as
# upcoming rather than as last year's: news mentions past dates far more often than ones months ahead.
FUTURE_WINDOW_DAYS = 62
SLACK = timedelta(days=7)

MAX_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}

SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@lru_cache(maxsize=4096)  # pure, and the same few dates recur
def parse_anchor(published: str | None) -> date | None:
    """The publication day from `2017-11-19`, `2017-05-27T21:37:00+01:00` or `19/03/2017`; None otherwise."""
    if not published:
        return None
    for regex, order in ((_ISO_DATE, (0, 1, 2)), (_DMY_DATE, (2, 1, 0))):
        m = regex.match(published)
        if m:
            parts = [int(m.group(i + 1)) for i in range(3)]
            try:
                return date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                return None
    return None


def day_value(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def week_value(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def valid_day(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if year is None:
        return day <= MAX_DAYS[month]
    return day <= calendar.monthrange(year, month)[1]


def weekday_on_or_before(anchor: date, iso_weekday: int, strict: bool = False) -> date:
    back = (anchor.isoweekday() - iso_weekday) % 7
    if strict and back == 0:
        back = 7
    return anchor - timedelta(days=back)


def weekday_on_or_after(anchor: date, iso_weekday: int, strict: bool = False) -> date:
    ahead = (iso_weekday - anchor.isoweekday()) % 7
    if strict and ahead == 0:
        ahead = 7
    return anchor + timedelta(days=ahead)


def add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def choose(candidates: list[tuple[date, date, object]], anchor: date, tense: str | None,
           window: int = FUTURE_WINDOW_DAYS) -> object:
    """Pick among (start, end, payload) instances of a yearless date by tense relative to ``anchor``.

    past: the latest that has started by the anchor; future: the earliest not yet over; None: the one containing
    the anchor, else an upcoming one within ``window`` days (FUTURE_WINDOW_DAYS), else the latest past one.
    """
    candidates = sorted(candidates, key=lambda c: c[0])
    # A week's slack: the publication date may be the day a story was collected, not written.
    started = [c for c in candidates if c[0] <= anchor + SLACK]
    not_over = [c for c in candidates if c[1] >= anchor - SLACK]
    if tense == "past" and started:
        return started[-1][2]
    if tense == "future" and not_over:
        return not_over[0][2]
    for c in candidates:
        if c[0] <= anchor <= c[1]:
            return c[2]
    upcoming = [c for c in candidates if c[0] > anchor]
    if upcoming and (upcoming[0][0] - anchor).days <= window:
        return upcoming[0][2]
    return started[-1][2] if started else candidates[0][2]


@lru_cache(maxsize=4096)  # pure, and the same few dates recur
def year_for_day(anchor: date, month: int, day: int, tense: str | None, window: int = FUTURE_WINDOW_DAYS) -> int:
    cands = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = date(y, month, min(day, calendar.monthrange(y, month)[1]))
        cands.append((d, d, y))
    return choose(cands, anchor, tense, window)  # type: ignore[return-value]


@lru_cache(maxsize=4096)  # pure, and the same few dates recur
def year_for_month(anchor: date, month: int, tense: str | None) -> int:
    cands = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        cands.append((date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1]), y))
    return choose(cands, anchor, tense)  # type: ignore[return-value]


def season_span(year: int, season: str) -> tuple[date, date]:
    """Meteorological seasons; winter YYYY-WI runs from December of YYYY to February of YYYY+1."""
    start = date(year, SEASON_START_MONTH[season], 1)
    end = add_months(start, 3) - timedelta(days=1)
    return start, end


@lru_cache(maxsize=4096)  # pure, and the same few dates recur
def year_for_season(anchor: date, season: str, relation: str | None) -> int:
    """relation: 'last' (the latest one over), 'next' (the earliest not begun), 'this', or a tense."""
    years = (anchor.year - 2, anchor.year - 1, anchor.year, anchor.year + 1)
    spans = [(*season_span(y, season), y) for y in years]
    if relation == "last":
        return [y for s, e, y in spans if e < anchor][-1]
    if relation == "next":
        return [y for s, e, y in spans if s > anchor][0]
    if relation == "this":  # the one under way, else the nearer of the one just over and the one to come
        def distance(span: tuple[date, date, int]) -> int:
            s, e, _ = span
            return 0 if s <= anchor <= e else min(abs((s - anchor).days), abs((anchor - e).days))
        return min(spans, key=distance)[2]
    return choose(spans, anchor, relation)  # type: ignore[return-value]


# --- Hijri ---------------------------------------------------------------------------------------------------
class HijriRangeError(ValueError):
    """The date lies outside the calendars here: after the Umm al-Qura tables of hijridate (1343–1500 AH), or before
    year 1."""


# Years before hijridate's Umm al-Qura tables (historical dates: 5 شوال 1319 هـ, عام 1273 هـ) are converted with the
# arithmetical (tabular) Islamic calendar: months of 30 and 29 days in turn, the twelfth 30 days in 11 leap years of
# each 30 (2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29), counted from 1 Muharram 1 AH = 19 July 622 (proleptic Gregorian;
# 16 July Julian, the civil epoch). It agrees with Umm al-Qura to within a day or two (its day 1 of 1343 is 2 August
# 1924, against 1 August), so the stage flags such dates `tabular-calendar`.
UMM_AL_QURA_FIRST_YEAR = 1343
_TABULAR_EPOCH = date(622, 7, 19).toordinal()


def uses_tabular(year: int) -> bool:
    """Is a date of this Hijri year converted with the tabular calendar (before the Umm al-Qura tables)?"""
    return 1 <= year < UMM_AL_QURA_FIRST_YEAR


def _tabular_month_start(year: int, month: int) -> date:
    days_before = (year - 1) * 354 + (3 + 11 * year) // 30 + (59 * (month - 1) + 1) // 2
    return date.fromordinal(_TABULAR_EPOCH + days_before)


def _tabular_month_length(year: int, month: int) -> int:
    return 30 if month % 2 == 1 or month == 12 and (14 + 11 * year) % 30 < 11 else 29


@lru_cache(maxsize=4096)  # pure, and the same few dates recur
def hijri_to_gregorian(year: int, month: int, day: int) -> tuple[date, bool]:
    """Gregorian date of a Hijri day; the flag is True when day 30 did not exist that month and 29 was used."""
    if uses_tabular(year) and 1 <= month <= 12 and 1 <= day <= 30:
        start, end = hijri_month_span(year, month)
        day_date = start + timedelta(days=day - 1)
        return min(day_date, end), day_date > end
    if year < 1:
        raise HijriRangeError(f"no Hijri year {year}")
    try:
        return _pydate(Hijri(year, month, day).to_gregorian()), False
    except OverflowError as exc:
        raise HijriRangeError(str(exc)) from exc
    except ValueError:
        if day == 30:
            try:
                return _pydate(Hijri(year, month, 29).to_gregorian()), True
            except OverflowError as exc:
                raise HijriRangeError(str(exc)) from exc
        raise


@lru_cache(maxsize=4096)  # pure, and the same few dates recur
def hijri_month_span(year: int, month: int) -> tuple[date, date]:
    if uses_tabular(year) and 1 <= month <= 12:
        start = _tabular_month_start(year, month)
        return start, start + timedelta(days=_tabular_month_length(year, month) - 1)
    if year < 1:
        raise HijriRangeError(f"no Hijri year {year}")
    try:
        h = Hijri(year, month, 1)
        start = _pydate(h.to_gregorian())
        return start, start + timedelta(days=h.month_length() - 1)
    except (OverflowError, ValueError) as exc:
        raise HijriRangeError(str(exc)) from exc


def hijri_year_span(year: int) -> tuple[date, date]:
    start, _ = hijri_month_span(year, 1)
    _, end = hijri_month_span(year, 12)
    return start, end


@lru_cache(maxsize=4096)  # pure, and the same few dates recur
def hijri_year_of(d: date) -> int:
    try:
        return Gregorian(d.year, d.month, d.day).to_hijri().year
    except (OverflowError, ValueError) as exc:
        raise HijriRangeError(str(exc)) from exc


def _pydate(g: date) -> date:
    return date(g.year, g.month, g.day)  # hijridate's Gregorian is a date subclass; keep plain dates
