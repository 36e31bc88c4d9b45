# test_localtime.py: local time offset with EU summer time (cityfw.core.localtime). Runs on CPython and MicroPython.
from cityfw.core.localtime import civil_from_days, days_from_civil, eu_summer_time, offset_ms

HOUR = 3600000
DAY = 86400000


def test_civil_dates_round_trip_over_centuries():
    for days in (0, 1, 59, 60, 365, 10957, 19782, 20500, -1, -719468 // 2, 100000):
        y, m, d = civil_from_days(days)
        assert days_from_civil(y, m, d) == days, (days, y, m, d)
    assert civil_from_days(0) == (1970, 1, 1), civil_from_days(0)
    assert civil_from_days(10957) == (2000, 1, 1), civil_from_days(10957)
    assert civil_from_days(days_from_civil(2024, 2, 29)) == (2024, 2, 29), "leap day"


def test_brussels_summer_time_2026_starts_and_ends_on_the_last_sundays_at_01_utc():
    start = days_from_civil(2026, 3, 29) * DAY + HOUR      # Sunday 29 March 2026, 01:00 UTC
    end = days_from_civil(2026, 10, 25) * DAY + HOUR       # Sunday 25 October 2026, 01:00 UTC
    assert not eu_summer_time(start - 1), "winter until 01:00 UTC"
    assert eu_summer_time(start), "summer from 01:00 UTC"
    assert eu_summer_time(end - 1), "summer until 01:00 UTC in October"
    assert not eu_summer_time(end), "winter again"
    assert offset_ms(start, 60, True) == 2 * HOUR, "CEST is UTC+2"
    assert offset_ms(end, 60, True) == HOUR, "CET is UTC+1"
    assert offset_ms(start, 60, False) == HOUR, "without eu_dst the offset is fixed"


def test_last_sundays_of_other_years():
    # 2025: 30 March and 26 October; 2027: 28 March and 31 October
    for y, mar, octo in ((2025, 30, 26), (2027, 28, 31)):
        assert eu_summer_time(days_from_civil(y, 3, mar) * DAY + HOUR), (y, "summer starts")
        assert not eu_summer_time(days_from_civil(y, 3, mar) * DAY), (y, "still winter at 00:00 UTC")
        assert not eu_summer_time(days_from_civil(y, 10, octo) * DAY + HOUR), (y, "summer ends")
        assert eu_summer_time(days_from_civil(y, 10, octo) * DAY), (y, "still summer at 00:00 UTC")
