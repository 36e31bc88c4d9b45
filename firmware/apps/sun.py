# sun.py Astronomical clock: sunrise and sunset (UTC epoch ms) for a day and a position, and the lighting schedule
# Sunrise equation (solar mean anomaly, equation of centre, ecliptic longitude, declination; the sun's upper
# limb at the horizon with refraction, -0.833 deg), the declination taken at the event itself. Within 2.5 minutes
# of NOAA's algorithm up to 60 N (tests/firmware/test_sun.py; 1.7 min at worst in Brussels). Floats stay small (days
# since J2000 split into a whole day and a fraction) so single-precision boards (ESP32) keep that accuracy.
# Latitudes in degrees north, longitudes in degrees east (0-360 accepted: 358.0 is 2 deg W).
import math

DAY_MS = 86400000
MIN_MS = 60000
J2000_NOON_MS = 946728000000    # 2000-01-01 12:00 UTC
DAYS_1970_2000 = 10957
RAD = math.pi / 180
SIN_OBLIQUITY = math.sin(23.4397 * RAD)
SIN_H0 = math.sin(-0.833 * RAD)   # the sun's upper limb at the horizon, with refraction

# schedule boundaries: (what, minutes); what = FIXED (local time, minutes after midnight), SUNRISE or SUNSET
FIXED = 0
SUNRISE = 1
SUNSET = 2


def _position(n, frac):
    # the sun frac days after noon UTC of the date n days after J2000: (solar transit offset in days from the
    # equation of time, sine of the declination)
    m = (357.5291 + 0.98560028 * n + 0.98560028 * frac) % 360.0
    mr = m * RAD
    c = 1.9148 * math.sin(mr) + 0.02 * math.sin(2 * mr) + 0.0003 * math.sin(3 * mr)
    lam = ((m + c + 180.0 + 102.9372) % 360.0) * RAD
    return 0.0053 * math.sin(mr) - 0.0069 * math.sin(2 * lam), math.sin(lam) * SIN_OBLIQUITY


def sun_times(day, lat, lon):
    # day: days since 1970-01-01 (UTC date). Returns (sunrise_ms, sunset_ms) in UTC epoch ms of that date,
    # or (None, None) when the sun stays below the horizon all day, (0, 0) when it never sets.
    # Each event is computed twice: from the sun's position at noon, then again from its position at the first
    # estimate of the event (the declination moves up to 0.4 deg a day: ~2 minutes at 50 N otherwise).
    if lon > 180:
        lon -= 360
    n = day - DAYS_1970_2000           # whole days since J2000 (noon of that date)
    jstar = -lon / 360.0               # fraction of a day; n is kept apart to stay precise
    phi = lat * RAD
    sin_phi, cos_phi = math.sin(phi), math.cos(phi)
    noon = J2000_NOON_MS + n * DAY_MS
    rise = sett = 0
    for sign in (-1, 1):
        t = jstar
        for step in (0, 1):
            eq, sin_d = _position(n, t)
            cos_w = (SIN_H0 - sin_phi * sin_d) / (cos_phi * math.sqrt(1 - sin_d * sin_d))
            if step == 0 and cos_w > 1:
                return None, None
            if step == 0 and cos_w < -1:
                return 0, 0
            cos_w = max(-1.0, min(1.0, cos_w))   # the refinement of a day at the edge of polar night
            t = jstar + eq + sign * math.acos(cos_w) / (2 * math.pi)   # days after noon of the date
        if sign < 0:
            rise = noon + int(t * DAY_MS)
        else:
            sett = noon + int(t * DAY_MS)
    return rise, sett


def parse_spec(text):
    # "sunset", "sunset-15", "sunrise+20" (minutes, -180..180) or "HH:MM" local time -> (what, minutes);
    # raises ValueError with a reason
    if not isinstance(text, str):
        raise ValueError("must be text like sunset, sunset-15, sunrise+10 or 22:30")
    for name, what in (("sunrise", SUNRISE), ("sunset", SUNSET)):
        if text.startswith(name):
            rest = text[len(name):]
            if not rest:
                return what, 0
            if rest[0] not in "+-" or not rest[1:].isdigit():
                raise ValueError("'%s': write the offset as +N or -N minutes" % text)
            minutes = int(rest[1:])
            if minutes > 180:
                raise ValueError("'%s': offset beyond 180 minutes" % text)
            return what, (-minutes if rest[0] == "-" else minutes)
    parts = text.split(":")
    if len(parts) == 2 and len(parts[0]) in (1, 2) and len(parts[1]) == 2 and parts[0].isdigit() \
            and parts[1].isdigit():
        h, m = int(parts[0]), int(parts[1])
        if h < 24 and m < 60:
            return FIXED, h * 60 + m
    raise ValueError("'%s' is not sunset[+-N], sunrise[+-N] or HH:MM" % text)


def local_to_utc(local_ms, offset_of):
    # UTC time of a local wall-clock time (local_ms: epoch ms as if local were UTC); offset_of(utc_ms) -> ms
    # ahead of UTC. Where the clocks go back the local time happens twice: the first one. Where they go forward
    # it does not exist: read with the offset before the change (02:30 on that night is 03:30 summer time).
    before = local_ms - offset_of(local_ms - DAY_MS)
    after = local_ms - offset_of(local_ms + DAY_MS)
    first = before if before < after else after
    if offset_of(first) == local_ms - first:
        return first
    second = after if first == before else before
    if offset_of(second) == local_ms - second:
        return second
    return before


def boundary_ms(spec, day, lat, lon, offset_of):
    # the UTC time of a schedule boundary on a local date (days since 1970 of the local calendar)
    what, minutes = spec
    if what == FIXED:
        return local_to_utc(day * DAY_MS + minutes * MIN_MS, offset_of)
    rise, sett = sun_times(day, lat, lon)
    t = rise if what == SUNRISE else sett
    if t is None:      # polar night: the sun never rises, lit all day
        return day * DAY_MS + (0 if what == SUNSET else DAY_MS - 1)
    if t == 0:         # midnight sun: the sun never sets, never lit
        return day * DAY_MS + (DAY_MS - 1 if what == SUNSET else 0)
    return t + minutes * MIN_MS


def is_night(now_ms, on_spec, off_spec, lat, lon, offset_of):
    # lit or not by the schedule: the latest switching before now decides (yesterday's, today's or tomorrow's).
    # offset_of(utc_ms) -> the local offset in ms at that time (summer time included): each fixed time is
    # placed with the offset in force then, so the night the clocks change never switches twice
    day = (now_ms + offset_of(now_ms)) // DAY_MS
    last_t = None
    lit = False
    for d in (day - 1, day, day + 1):
        for spec, state in ((on_spec, True), (off_spec, False)):
            t = boundary_ms(spec, d, lat, lon, offset_of)
            if t <= now_ms and (last_t is None or t >= last_t):
                last_t, lit = t, state
    return lit
