# test_sun.py: the park light's astronomical clock (cityfw.apps.sun) against published Brussels times and against
# NOAA's solar calculator algorithm (written out below, independently of the firmware's), and its schedule across
# midnight and the nights the clocks change. Runs on CPython and MicroPython. Published reference times: NOAA
# solar calculator / almanac for Brussels (50.85 N, 4.35 E), rounded to the minute, in UTC.
import math
from cityfw.apps import sun
from cityfw.core.localtime import days_from_civil, offset_ms
from support import raises

LAT, LON = 50.85, 4.35
MIN = 60000
TOLERANCE_MIN = 3

# (date, sunrise UTC, sunset UTC)
BRUSSELS = (
    ((2024, 6, 21), (3, 29), (20, 0)),     # 05:29 / 22:00 CEST
    ((2024, 12, 21), (7, 44), (15, 40)),   # 08:44 / 16:40 CET
    ((2024, 3, 20), (5, 44), (17, 56)),    # 06:44 / 18:56 CET
    ((2024, 9, 22), (5, 30), (17, 40)),    # 07:30 / 19:40 CEST
    ((2026, 11, 22), (7, 10), (15, 48)),   # 08:10 / 16:48 CET
)


def _cet(utc_ms):
    return offset_ms(utc_ms, 60, True)   # Brussels: CET, CEST in summer


def _noaa(day, lat, lon, rising):
    # NOAA Global Monitoring Lab's solar calculator (Meeus, "Astronomical Algorithms"): Julian centuries, geometric
    # mean longitude and anomaly, equation of centre, apparent longitude with nutation, corrected obliquity,
    # equation of time; hour angle for a zenith of 90.833 deg; iterated at the event's own time. lon: east.
    t_ms = day * 86400000 + 12 * 3600000
    for _ in range(4):
        jd = t_ms / 86400000.0 + 2440587.5
        tc = (jd - 2451545.0) / 36525.0
        l0 = (280.46646 + tc * (36000.76983 + 0.0003032 * tc)) % 360
        m = math.radians(357.52911 + tc * (35999.05029 - 0.0001537 * tc))
        e = 0.016708634 - tc * (0.000042037 + 0.0000001267 * tc)
        c = (math.sin(m) * (1.914602 - tc * (0.004817 + 0.000014 * tc)) + math.sin(2 * m) * (0.019993 - 0.000101 * tc)
             + math.sin(3 * m) * 0.000289)
        omega = math.radians(125.04 - 1934.136 * tc)
        app_long = math.radians(l0 + c - 0.00569 - 0.00478 * math.sin(omega))
        eps = 23 + (26 + (21.448 - tc * (46.815 + tc * (0.00059 - tc * 0.001813))) / 60) / 60
        eps = math.radians(eps + 0.00256 * math.cos(omega))
        decl = math.asin(math.sin(eps) * math.sin(app_long))
        y = math.tan(eps / 2) ** 2
        l0r = math.radians(l0)
        eqt = 4 * math.degrees(y * math.sin(2 * l0r) - 2 * e * math.sin(m) + 4 * e * y * math.sin(m) * math.cos(2 * l0r)
                               - 0.5 * y * y * math.sin(4 * l0r) - 1.25 * e * e * math.sin(2 * m))
        phi = math.radians(lat)
        ha = math.degrees(math.acos(math.cos(math.radians(90.833)) / (math.cos(phi) * math.cos(decl))
                                    - math.tan(phi) * math.tan(decl)))
        minutes = 720 - 4 * lon - eqt + (-4 * ha if rising else 4 * ha)
        t_ms = day * 86400000 + int(minutes * 60000)
    return t_ms


def test_sunrise_and_sunset_agree_with_noaa_through_the_year():
    # every 5th day of 2024 and 2026 (solstices and equinoxes included), Brussels, Helsinki, Madrid (3.7 W)
    places = ((50.85, 4.35, 2.0), (60.17, 24.94, 2.5), (40.42, 356.3, 2.0))
    days = [days_from_civil(2024, 1, 1) + i for i in range(0, 366, 5)]
    days += [days_from_civil(2026, 1, 1) + i for i in range(2, 365, 5)]
    days += [days_from_civil(2024, 6, 20), days_from_civil(2024, 12, 21), days_from_civil(2026, 3, 20),
             days_from_civil(2026, 9, 23)]
    for lat, lon, tolerance in places:
        lon_e = lon - 360 if lon > 180 else lon
        worst = 0
        for day in days:
            rise, sett = sun.sun_times(day, lat, lon)
            for got, want in ((rise, _noaa(day, lat, lon_e, True)), (sett, _noaa(day, lat, lon_e, False))):
                off = abs(got - want) / MIN
                assert off <= tolerance, "%.2f N %.2f E day %d: %.2f min from NOAA" % (lat, lon, day, off)
                worst = max(worst, off)
        assert worst > 0.1, "the reference is independent, not the same code: %.3f" % worst


def _utc(day, hm):
    return day * 86400000 + (hm[0] * 60 + hm[1]) * MIN


def test_sunrise_and_sunset_in_brussels_within_a_few_minutes():
    for date, rise, sett in BRUSSELS:
        day = days_from_civil(date[0], date[1], date[2])
        got_rise, got_set = sun.sun_times(day, LAT, LON)
        for what, got, want in (("sunrise", got_rise, _utc(day, rise)), ("sunset", got_set, _utc(day, sett))):
            off = abs(got - want) / MIN
            assert off <= TOLERANCE_MIN, "%s on %s: %.1f min off" % (what, date, off)


def test_western_longitude_written_as_degrees_east_up_to_360():
    day = days_from_civil(2024, 6, 21)
    west = sun.sun_times(day, 50.0, 358.0)
    east = sun.sun_times(day, 50.0, -2.0)
    assert west == east, (west, east)


def test_polar_night_and_midnight_sun():
    assert sun.sun_times(days_from_civil(2024, 12, 21), 78.0, 15.0) == (None, None), "polar night"
    assert sun.sun_times(days_from_civil(2024, 6, 21), 78.0, 15.0) == (0, 0), "midnight sun"


def test_parse_schedule_specs():
    cases = (("sunset", (sun.SUNSET, 0)), ("sunset-15", (sun.SUNSET, -15)), ("sunrise+20", (sun.SUNRISE, 20)),
             ("22:30", (sun.FIXED, 1350)), ("6:05", (sun.FIXED, 365)))
    for text, want in cases:
        assert sun.parse_spec(text) == want, (text, sun.parse_spec(text))
    for bad in ("sunset+", "sunset*3", "sunrise+500", "25:00", "12:60", "noon", "", 5, None):
        raises(ValueError, sun.parse_spec, bad)


def test_night_follows_sunset_and_sunrise_with_offsets():
    day = days_from_civil(2024, 12, 21)
    on, off = sun.parse_spec("sunset"), sun.parse_spec("sunrise")
    rise, sett = sun.sun_times(day, LAT, LON)
    assert sun.is_night(sett + MIN, on, off, LAT, LON, _cet), "just after sunset"
    assert not sun.is_night(sett - MIN, on, off, LAT, LON, _cet), "just before sunset"
    assert sun.is_night(rise - MIN, on, off, LAT, LON, _cet), "just before sunrise"
    assert not sun.is_night(rise + MIN, on, off, LAT, LON, _cet), "just after sunrise"
    for hour in (22, 23):   # local midnight is 23:00 UTC
        for minute in (0, 59):
            t = day * 86400000 + hour * 3600000 + minute * MIN
            assert sun.is_night(t, on, off, LAT, LON, _cet), "around midnight: %d:%02d UTC" % (hour, minute)
    early = sun.parse_spec("sunset-30")
    assert sun.is_night(sett - 20 * MIN, early, off, LAT, LON, _cet), "switched on 30 min before sunset"


def test_part_night_schedule_with_a_fixed_off_time():
    # on at sunset, off at 23:30 local (CET = UTC+1): dark after 22:30 UTC until the next sunset
    day = days_from_civil(2024, 12, 21)
    on, off = sun.parse_spec("sunset"), sun.parse_spec("23:30")
    assert sun.is_night(day * 86400000 + 22 * 3600000, on, off, LAT, LON, _cet), "22:00 UTC lit"
    assert not sun.is_night(day * 86400000 + 23 * 3600000, on, off, LAT, LON, _cet), "23:00 UTC off"
    assert not sun.is_night((day + 1) * 86400000 + 3 * 3600000, on, off, LAT, LON, _cet), "03:00 UTC off"


def test_off_at_local_midnight():
    day = days_from_civil(2024, 12, 21)
    on, off = sun.parse_spec("sunset"), sun.parse_spec("00:00")
    assert sun.is_night(day * 86400000 + 22 * 3600000 + 59 * MIN, on, off, LAT, LON, _cet), "23:59 local lit"
    assert not sun.is_night(day * 86400000 + 23 * 3600000, on, off, LAT, LON, _cet), "00:00 local off"
    assert not sun.is_night(day * 86400000 + 23 * 3600000 + 30 * MIN, on, off, LAT, LON, _cet), "00:30 local off"


def _switches(on, off, start_ms, minutes):
    # (utc ms, lit) at each change of the schedule, minute by minute
    out, last = [], None
    for i in range(minutes):
        t = start_ms + i * MIN
        lit = sun.is_night(t, on, off, LAT, LON, _cet)
        if lit != last:
            out.append((t, lit))
            last = lit
    return out


def test_the_night_the_clocks_go_back_switches_off_once():
    # 2026-10-25: 03:00 CEST (01:00 UTC) becomes 02:00 CET. Off at 02:30 local: the first 02:30 (00:30 UTC),
    # and the lamp must not come back on at 02:00 CET for the second half hour
    day = days_from_civil(2026, 10, 25)
    on, off = sun.parse_spec("sunset"), sun.parse_spec("02:30")
    got = _switches(on, off, day * 86400000 - 3 * 3600000, 6 * 60)
    assert got == [(day * 86400000 - 3 * 3600000, True), (day * 86400000 + 30 * MIN, False)], got


def test_the_night_the_clocks_go_forward():
    # 2026-03-29: 02:00 CET (01:00 UTC) becomes 03:00 CEST. Off at 06:00 local = 04:00 UTC; on at 22:00 local the
    # evening before (21:00 UTC) and the evening after (20:00 UTC); an off time inside the skipped hour (02:30)
    # switches once, at 01:30 UTC (03:30 summer time)
    day = days_from_civil(2026, 3, 29)
    on, off = sun.parse_spec("22:00"), sun.parse_spec("06:00")
    got = _switches(on, off, (day - 1) * 86400000 + 12 * 3600000, 36 * 60)
    assert got == [((day - 1) * 86400000 + 12 * 3600000, False), ((day - 1) * 86400000 + 21 * 3600000, True),
                   (day * 86400000 + 4 * 3600000, False), (day * 86400000 + 20 * 3600000, True)], got
    got = _switches(on, sun.parse_spec("02:30"), (day - 1) * 86400000 + 12 * 3600000, 24 * 60)
    assert got == [((day - 1) * 86400000 + 12 * 3600000, False), ((day - 1) * 86400000 + 21 * 3600000, True),
                   (day * 86400000 + 90 * MIN, False)], got
