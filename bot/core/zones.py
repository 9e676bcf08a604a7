"""Time zones as people name them: the abbreviations they type, the common zones a menu offers, and the
nearest known zone for a name that is almost right. Pure; `bot.core.timecodes` parses with it."""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import available_timezones

ALIASES: dict[str, str] = {
    **dict.fromkeys(("pst", "pdt", "pt"), "America/Los_Angeles"),
    **dict.fromkeys(("mst", "mdt", "mt"), "America/Denver"),
    **dict.fromkeys(("cst", "cdt", "ct"), "America/Chicago"),
    **dict.fromkeys(("est", "edt", "et"), "America/New_York"),
    **dict.fromkeys(("akst", "akdt"), "America/Anchorage"),
    "hst": "Pacific/Honolulu",
    "brt": "America/Sao_Paulo",
    **dict.fromkeys(("gmt", "bst"), "Europe/London"),
    **dict.fromkeys(("wet", "west"), "Europe/Lisbon"),
    **dict.fromkeys(("cet", "cest"), "Europe/Berlin"),
    **dict.fromkeys(("eet", "eest"), "Europe/Athens"),
    "msk": "Europe/Moscow",
    "ist": "Asia/Kolkata",
    "sgt": "Asia/Singapore",
    "hkt": "Asia/Hong_Kong",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    **dict.fromkeys(("aest", "aedt"), "Australia/Sydney"),
    "awst": "Australia/Perth",
    **dict.fromkeys(("nzst", "nzdt"), "Pacific/Auckland"),
    **dict.fromkeys(("utc", "z", "zulu"), "UTC"),
}
"""What people mean by the abbreviations they type; they win over the standard library's fixed-offset zones
of the same name (its `EST` has no daylight saving time, a team in New York does)."""

COMMON_ZONES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Americas",
        (
            ("America/Los_Angeles", "Los Angeles, San Francisco, Seattle (PT)"),
            ("America/Denver", "Denver (MT)"),
            ("America/Phoenix", "Phoenix (MST, no daylight saving)"),
            ("America/Chicago", "Chicago, Austin (CT)"),
            ("America/New_York", "New York, Toronto, Boston (ET)"),
            ("America/Anchorage", "Anchorage"),
            ("Pacific/Honolulu", "Honolulu"),
            ("America/Halifax", "Halifax"),
            ("America/Mexico_City", "Mexico City"),
            ("America/Bogota", "Bogotá, Lima"),
            ("America/Santiago", "Santiago"),
            ("America/Sao_Paulo", "São Paulo"),
            ("America/Argentina/Buenos_Aires", "Buenos Aires"),
        ),
    ),
    (
        "Europe and Africa",
        (
            ("Europe/London", "London, Dublin (GMT/BST)"),
            ("Europe/Lisbon", "Lisbon"),
            ("Europe/Berlin", "Berlin, Amsterdam, Zurich (CET)"),
            ("Europe/Paris", "Paris, Brussels"),
            ("Europe/Madrid", "Madrid"),
            ("Europe/Rome", "Rome"),
            ("Europe/Stockholm", "Stockholm, Oslo, Copenhagen"),
            ("Europe/Warsaw", "Warsaw, Prague"),
            ("Europe/Athens", "Athens, Bucharest (EET)"),
            ("Europe/Helsinki", "Helsinki, Kyiv"),
            ("Europe/Istanbul", "Istanbul"),
            ("Europe/Moscow", "Moscow"),
            ("Africa/Lagos", "Lagos"),
            ("Africa/Cairo", "Cairo"),
            ("Africa/Johannesburg", "Johannesburg"),
            ("Africa/Nairobi", "Nairobi"),
        ),
    ),
    (
        "Asia and Pacific",
        (
            ("Asia/Dubai", "Dubai"),
            ("Asia/Jerusalem", "Tel Aviv, Jerusalem"),
            ("Asia/Karachi", "Karachi"),
            ("Asia/Kolkata", "India: Bengaluru, Mumbai, Delhi (IST)"),
            ("Asia/Dhaka", "Dhaka"),
            ("Asia/Bangkok", "Bangkok, Jakarta"),
            ("Asia/Singapore", "Singapore, Kuala Lumpur"),
            ("Asia/Shanghai", "Beijing, Shanghai"),
            ("Asia/Hong_Kong", "Hong Kong"),
            ("Asia/Taipei", "Taipei"),
            ("Asia/Manila", "Manila"),
            ("Asia/Seoul", "Seoul"),
            ("Asia/Tokyo", "Tokyo (JST)"),
            ("Australia/Perth", "Perth"),
            ("Australia/Brisbane", "Brisbane"),
            ("Australia/Sydney", "Sydney, Melbourne (AEST)"),
            ("Pacific/Auckland", "Auckland, Wellington"),
        ),
    ),
    ("Other", (("UTC", "UTC (coordinated universal time)"),)),
)
"""The zones the schedule form offers, by region (Slack's menus take at most 100 options)."""


def zone_key(name: str) -> str | None:
    """The IANA name for `name` in any case: an abbreviation people use (``PST``) or a zone the standard
    library (or the tzdata package) knows (``europe/berlin``); None for anything else."""
    cleaned = name.strip().lower()
    return ALIASES.get(cleaned) or _zone_keys().get(cleaned)


def suggest_zone(name: str) -> str | None:
    """The known zone closest to a name that is not one (``Europe/Berln``, ``berlin``), or None."""
    cleaned = name.strip().lower().replace(" ", "_")
    if not cleaned:
        return None
    cities = _cities()
    if cleaned in cities:
        return cities[cleaned]
    names = {**_zone_keys(), **cities}
    close = difflib.get_close_matches(cleaned, list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None


@cache
def _zone_keys() -> dict[str, str]:
    """Every zone name the standard library (or the tzdata package) knows, by its lower-case form."""
    return {key.lower(): key for key in available_timezones()}


@cache
def _cities() -> dict[str, str]:
    """The last part of every region's zone name (``berlin`` -> Europe/Berlin), lower case."""
    keys = sorted(key for key in available_timezones() if "/" in key and not key.startswith("Etc/"))
    return {key.rsplit("/", 1)[1].lower(): key for key in reversed(keys)}
