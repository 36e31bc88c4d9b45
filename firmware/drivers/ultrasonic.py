# ultrasonic.py Distance from the echo times of a JSN-SR04T class sensor (the bus is in hal/bin_io.py)
# Several pings per reading: timeouts and echoes beyond the range are dropped, an echo inside the blind zone
# counts as "at the blind zone" (the sensor cannot tell closer), and the median of the rest is the distance,
# so a few outlier pings (a falling item, multipath) do not move it. Speed of sound: 331.3 + 0.606 * T m/s.


def sound_speed(temp_c):
    # m/s in air at temp_c degrees Celsius
    return 331.3 + 0.606 * temp_c


def echo_cm(echo_us, temp_c):
    # round trip time (us) -> distance (cm): t * c / 2, with us * m/s = 1e-4 cm
    return echo_us * sound_speed(temp_c) / 20000.0


def median(values):
    s = sorted(values)
    n = len(s)
    if n == 0:
        return None
    if n % 2:
        return s[n // 2]
    return (s[n // 2 - 1] + s[n // 2]) / 2


def distance_cm(echoes_us, temp_c, blind_cm, max_cm):
    # echoes_us: round trip times, None (or <= 0) for a ping without echo
    # returns (median distance in cm, or None when no ping was valid; number of valid pings)
    valid = []
    for e in echoes_us:
        if e is None or e <= 0:
            continue
        d = echo_cm(e, temp_c)
        if d > max_cm:
            continue
        valid.append(max(d, blind_cm))
    return median(valid), len(valid)


def fill_pct(dist_cm, empty_cm, full_cm):
    # 0 % at the bin floor (empty_cm from the sensor), 100 % at full_cm; clamped to 0-100
    pct = (empty_cm - dist_cm) * 100.0 / (empty_cm - full_cm)
    return 0.0 if pct < 0 else 100.0 if pct > 100 else pct


def timeout_us(max_cm):
    # how long to wait for an echo from max_cm: the round trip at -20 degrees (slow sound) plus 10 %
    return int(max_cm * 20000.0 / sound_speed(-20.0) * 1.1)
