# localtime.py Local time offset for the board: a fixed UTC offset plus, optionally, EU summer time
# EU rule: summer time from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
# Pure integer arithmetic on epoch milliseconds (no time.gmtime: a board's epoch may be 2000).

DAY_MS = 86400000
HOUR_MS = 3600000


def civil_from_days(z):
    # days since 1970-01-01 -> (year, month, day), proleptic Gregorian (H. Hinnant's algorithm)
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def days_from_civil(y, m, d):
    y -= 1 if m <= 2 else 0
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m - 3 if m > 2 else m + 9) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def last_sunday_ms(year, month):
    # 00:00 UTC of the last Sunday of the month (month 3 or 10 here: both have 31 days)
    last = days_from_civil(year, month, 31)
    weekday = (last + 3) % 7          # 0 = Monday (1970-01-01 was a Thursday)
    return (last - (weekday + 1) % 7) * DAY_MS


def eu_summer_time(utc_ms):
    year = civil_from_days(utc_ms // DAY_MS)[0]
    start = last_sunday_ms(year, 3) + HOUR_MS
    end = last_sunday_ms(year, 10) + HOUR_MS
    return start <= utc_ms < end


def offset_ms(utc_ms, utc_offset_min, eu_dst):
    off = utc_offset_min * 60000
    if eu_dst and eu_summer_time(utc_ms):
        off += HOUR_MS
    return off
