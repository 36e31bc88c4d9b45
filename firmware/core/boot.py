# boot.py Builds a board's firmware from its configuration: config -> app -> supervisor
# The app module is looked up by device kind in APPS, so a board only loads its own app.
from cityfw.core import config
from cityfw.core.supervisor import Supervisor
from cityfw.core.commands import overrides_file

APPS = {
    "water_meter": "cityfw.apps.water_meter",
    "park_light": "cityfw.apps.park_light",
    "smart_bin": "cityfw.apps.smart_bin",
    "pedestrian_counter": "cityfw.apps.pedestrian_counter",
}


def app_module(kind):
    name = APPS.get(kind)
    if name is None:
        raise config.ConfigError("config: unknown device kind '%s'" % kind)
    return __import__(name, None, None, ["APP_DEFAULTS"])


def build(board, raw_cfg):
    # returns a ready Supervisor; raises ConfigError on a bad configuration
    module = app_module(raw_cfg.get("kind"))
    app_check = getattr(module, "APP_CHECK", None)
    signed = getattr(module, "APP_SIGNED", ())   # settings that may be negative
    cfg = config.check(raw_cfg, module.APP_DEFAULTS, app_check, signed)   # the installed configuration must be valid
    store = overrides_file(board)
    saved = store.load()
    if saved:
        # thresholds set from the hub; if they no longer pass (e.g. a newer firmware dropped a key), the
        # board runs on its installed configuration rather than resetting in a loop
        raw = dict(raw_cfg)
        app = dict(raw_cfg.get("app") or {})
        for key in saved:
            app[key] = saved[key]
        raw["app"] = app
        try:
            cfg = config.check(raw, module.APP_DEFAULTS, app_check, signed)
        except config.ConfigError:
            store.save({})
    app = module.App(board, cfg)
    sup = Supervisor(board, cfg, app, module.APP_DEFAULTS)
    sup.app_check = app_check
    sup.app_signed = signed
    sup.app_fixed = getattr(module, "APP_FIXED", ())   # settings only the registry sets (see commands.py)
    return sup


def run(board, raw_cfg, loop_ms=200):
    # the board's forever loop; an exception escapes to main.py, which resets the board
    sup = build(board, raw_cfg)
    from cityfw.core.console import Report
    report = Report(sup)   # boot line, then "online" / why not, on the serial console
    while True:
        sup.run_once()
        report.step()
        board.sleep_ms(loop_ms)
