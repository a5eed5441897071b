"""Publication dates as sources give them → ISO ``YYYY-MM-DD``.

Accepted: ISO dates and date-times (``2015-07-21``, ``2017-05-27T21:37:00+01:00``: the date as written, i.e. the
publisher's local day, not converted to UTC), ``YYYY/MM/DD``, ``YYYYMMDD``, day-first numeric dates
(``19/03/2017``, ``19-03-2017``, ``19.03.2017``; month-first only when the second number cannot be a month),
RFC 2822 (``Tue, 21 Jul 2015 02:51:32 GMT``), and day–month-name–year in English or Arabic (Egyptian/Gulf,
Levantine and Maghrebi month names: ``19 نوفمبر 2017``, ``19 تشرين الثاني 2017``, ``19 نونبر 2017``).
Arabic-Indic digits are read as digits. Anything else, or a year outside 1900–2100, gives None.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import re

from marsad.text.normalise import matching_form

_MONTHS_BY_NUMBER = {
    1: "january jan يناير جانفي كانون الثاني",
    2: "february feb فبراير فيفري شباط",
    3: "march mar مارس آذار اذار",
    4: "april apr أبريل ابريل إبريل أفريل افريل نيسان",
    5: "may مايو ماي أيار ايار",
    6: "june jun يونيو يونيه جوان حزيران",
    7: "july jul يوليو يوليه جويلية يوليوز تموز",
    8: "august aug أغسطس اغسطس أوت اوت غشت آب",
    9: "september sep sept سبتمبر شتنبر أيلول ايلول",
    10: "october oct أكتوبر اكتوبر تشرين الأول",
    11: "november nov نوفمبر نونبر تشرين الثاني",
    12: "december dec ديسمبر دجنبر كانون الأول",
}
# Two-word Levantine names must be matched whole, before their parts (كانون الثاني vs الثاني).
_TWO_WORD_MONTHS = {
    matching_form("كانون الثاني"): 1,
    matching_form("تشرين الأول"): 10,
    matching_form("تشرين الثاني"): 11,
    matching_form("كانون الأول"): 12,
}
_ONE_WORD_MONTHS = {}
for _number, _names in _MONTHS_BY_NUMBER.items():
    for _name in _names.split():
        if _name not in ("كانون", "تشرين", "الأول", "الثاني"):
            _ONE_WORD_MONTHS[matching_form(_name)] = _number

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[Tt\s_]\d)")
_YMD_SLASH = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:$|\s)")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:$|[\sTt,])")
_NAMED = re.compile(r"(\d{1,2})\s*(?:-\s*)?([^\W\d_]+(?:\s+[^\W\d_]+)?)\s*(?:-\s*)?[,،]?\s*(\d{4})(?:$|[\s,،])")
_NAMED_MONTH_FIRST = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:$|[\s,])")
_WEEKDAY_PREFIX = re.compile(r"^[^\W\d_]+\s*[,،]\s*")


def _date(year: int, month: int, day: int) -> str | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_number(name: str) -> int | None:
    folded = matching_form(name.strip())
    if folded in _TWO_WORD_MONTHS:
        return _TWO_WORD_MONTHS[folded]
    return _ONE_WORD_MONTHS.get(folded)


def normalise_date(raw: object) -> str | None:
    """``raw`` as an ISO ``YYYY-MM-DD`` date, or None when it is not a recognisable date."""
    if raw is None:
        return None
    text = matching_form(str(raw)).strip()  # matching_form also turns Arabic-Indic digits into ASCII
    if not text:
        return None
    if m := _ISO.match(text):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _YMD_SLASH.match(text):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _COMPACT.match(text):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.match(text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if second > 12 >= first:  # 03/19/2017 can only be month-first
            return _date(year, first, second)
        return _date(year, second, first)
    try:
        parsed = email.utils.parsedate_to_datetime(str(raw).strip())
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return _date(parsed.year, parsed.month, parsed.day)
    text = _WEEKDAY_PREFIX.sub("", text)
    if m := _NAMED.search(text):
        month = _month_number(m[2])
        if month is not None:
            return _date(int(m[3]), month, int(m[1]))
    if m := _NAMED_MONTH_FIRST.match(text):
        month = _month_number(m[1])
        if month is not None:
            return _date(int(m[3]), month, int(m[2]))
    return None
