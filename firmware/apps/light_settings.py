# light_settings.py The park light's settings: defaults, their rules, and the parameters of its own commands
# DEFAULTS is the app section of config.json (every key settable from the hub with set_config); check() is the
# app's APP_CHECK; override_params()/schedule_params() check the "override" and "schedule" commands.
from cityfw.apps import sun

DEFAULTS = {
    "lat": 50.85, "lon": 4.35, "on": "sunset", "off": "sunrise",
    "group": "", "pole": 0, "neighbours": 2,
    "base_pct": 20, "high_pct": 100, "ramp_ms": 500, "hold_s": 60, "fade_s": 30,
    "failsafe_s": 900, "presence_repeat_s": 10, "presence_max_age_s": 30,
    "tele_s": 900, "lamp_w": 30.0, "standby_w": 1.0,
    "sense_mv_full": 1000, "lamp_fail_frac": 0.3, "lamp_fail_s": 60, "day_burner_mv": 100, "day_burner_s": 300,
    "pir_stuck_s": 600, "alarm_clear_s": 60,
}
MAX_OVERRIDE_S = 86400
# durations timed on the tick counter: kept well below its 2**29 ms (~6 days) half-period
DURATIONS_S = ("hold_s", "fade_s", "failsafe_s", "presence_repeat_s", "presence_max_age_s", "lamp_fail_s",
               "day_burner_s", "pir_stuck_s", "alarm_clear_s")
MAX_DURATION_S = 86400


def check(c):
    # rules beyond "a non-negative number of the default's type" (core/config.py); raises ConfigError
    from cityfw.core.config import ConfigError
    for key in ("on", "off"):
        try:
            sun.parse_spec(c[key])
        except ValueError as e:
            raise ConfigError("config: app.%s: %s" % (key, e))
    if sun.parse_spec(c["on"]) == sun.parse_spec(c["off"]):
        raise ConfigError("config: app.on and app.off are the same time: the lamp would never be lit")
    if c["lat"] > 80:
        raise ConfigError("config: app.lat must be 0-80 (degrees north)")
    if c["lon"] >= 360:
        raise ConfigError("config: app.lon must be below 360 (degrees east; 358.0 is 2 deg W)")
    group = c["group"]
    if not isinstance(group, str) or len(group) > 32 or not all(
            "a" <= ch <= "z" or "A" <= ch <= "Z" or "0" <= ch <= "9" or ch in "_-" for ch in group):
        raise ConfigError("config: app.group must be 0-32 of A-Z a-z 0-9 _ -")
    for key in ("base_pct", "high_pct"):
        if c[key] > 100:
            raise ConfigError("config: app.%s must be 0-100" % key)
    if c["base_pct"] > c["high_pct"]:
        raise ConfigError("config: app.base_pct may not be above app.high_pct")
    if c["ramp_ms"] > 10000:
        raise ConfigError("config: app.ramp_ms must be at most 10000")
    if c["tele_s"] % 60:
        raise ConfigError("config: app.tele_s must be whole minutes (a multiple of 60), or 0 for none")
    if c["lamp_fail_frac"] > 1:
        raise ConfigError("config: app.lamp_fail_frac must be 0-1")
    for key in ("failsafe_s", "sense_mv_full", "presence_repeat_s", "presence_max_age_s"):
        if c[key] < 1:
            raise ConfigError("config: app.%s must be at least 1" % key)
    for key in DURATIONS_S:
        if c[key] > MAX_DURATION_S:
            raise ConfigError("config: app.%s must be at most %d (a day)" % (key, MAX_DURATION_S))


def override_params(params):
    # {"level": 0-100, "duration_s": 0-86400} -> (level, duration_s); ValueError with the reason
    for key in params:
        if key not in ("level", "duration_s"):
            raise ValueError("override: unknown parameter '%s' (level, duration_s)" % key)
    level, duration = params.get("level"), params.get("duration_s")
    if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 100:
        raise ValueError("override: level must be a whole number 0-100")
    if not isinstance(duration, int) or isinstance(duration, bool) or not 0 <= duration <= MAX_OVERRIDE_S:
        raise ValueError("override: duration_s must be a whole number 0-%d (0 ends an override)" % MAX_OVERRIDE_S)
    return level, duration


def schedule_params(params):
    # {"on": spec, "off": spec}, at least one; ValueError with the reason
    if not params:
        raise ValueError("schedule: give on and/or off")
    for key in params:
        if key not in ("on", "off"):
            raise ValueError("schedule: unknown parameter '%s' (on, off)" % key)
        try:
            sun.parse_spec(params[key])
        except ValueError as e:
            raise ValueError("schedule: %s: %s" % (key, e))
