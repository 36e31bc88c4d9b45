# config.py Loads and checks the board's configuration (a JSON file on flash), filling in defaults
# Shape: {"device_id", "kind", "wifi": {...}, "mqtt": {...}, "report": {...}, "outbox": {...}, "app": {...}}
# "app" holds the device kind's thresholds; each app declares its own defaults (APP_DEFAULTS).
import json

DEFAULTS = {
    "wifi": {"ssid": "", "password": "", "backoff_base_ms": 1000, "backoff_max_ms": 60000},
    "mqtt": {"host": "", "port": 1883, "user": None, "password": None, "keepalive_s": 60,
             "timeout_ms": 5000, "backoff_base_ms": 1000, "backoff_max_ms": 60000},
    "report": {"health_s": 3600, "utc_offset_min": 60, "eu_dst": True},
    "outbox": {"max_segments": 16, "segment_records": 64},
    "app": {},
}


class ConfigError(ValueError):
    pass


def valid_device_id(text):
    # the hub's rule too (hub/validate/models.py DeviceId): ^[a-z0-9][a-z0-9-]{1,31}$
    if not 2 <= len(text) <= 32 or text[0] == "-":
        return False
    for ch in text:
        if not ("a" <= ch <= "z" or "0" <= ch <= "9" or ch == "-"):
            return False
    return True


def merged(defaults, given):
    # a copy of defaults updated with given, one level of nesting deep
    out = {}
    for key in defaults:
        value = defaults[key]
        out[key] = dict(value) if isinstance(value, dict) else value
    for key in given:
        value = given[key]
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def check(cfg, app_defaults=None, app_check=None, signed=()):
    # app_check(app_cfg): the app's own rules (ranges that depend on each other), raises ConfigError
    # signed: the app's settings that may be negative (its APP_SIGNED, e.g. a position on a path)
    # fills in defaults (core, then the app's) and raises ConfigError naming the first problem
    cfg = merged(DEFAULTS, cfg)
    if app_defaults:
        cfg["app"] = merged(app_defaults, cfg["app"])
    for key in ("device_id", "kind"):
        if not isinstance(cfg.get(key), str) or not cfg[key]:
            raise ConfigError("config: '%s' is missing" % key)
    if not valid_device_id(cfg["device_id"]):
        raise ConfigError("config: device_id must be 2-32 of a-z 0-9 - (starting with a letter or digit)")
    if not cfg["mqtt"]["host"]:
        raise ConfigError("config: mqtt.host is missing")
    if app_defaults:
        for key in cfg["app"]:
            if key not in app_defaults:
                raise ConfigError("config: unknown app setting '%s'" % key)
            _check_value(key, app_defaults[key], cfg["app"][key], key in signed)
    if app_check:
        app_check(cfg["app"])
    return cfg


def _check_value(key, want, got, signed=False):
    # thresholds keep the type of their default (a whole number stays whole) and are never negative
    # (except the app's APP_SIGNED settings)
    if isinstance(want, bool) or not isinstance(want, (int, float)):
        return
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        raise ConfigError("config: app.%s must be a number" % key)
    if isinstance(want, int) and not isinstance(got, int):
        raise ConfigError("config: app.%s must be a whole number" % key)
    if got < 0 and not signed:
        raise ConfigError("config: app.%s may not be negative" % key)


def read(path):
    # the raw configuration file; ConfigError when it is missing or not JSON
    try:
        with open(path) as f:
            raw = json.load(f)
    except OSError:
        raise ConfigError("config: cannot read " + path)
    except ValueError:
        raise ConfigError("config: " + path + " is not valid JSON")
    return raw
