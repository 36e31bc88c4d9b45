# boot.py Builds a board's firmware from its configuration: config -> app -> supervisor
# The app module is looked up by device kind in APPS, so a board only loads its own app.
from cityfw.core import config
from cityfw.core.supervisor import Supervisor
from cityfw.core.commands import overrides_file

APPS = {
    "water_meter": "cityfw.apps.water_meter",
}


def app_module(kind):
    name = APPS.get(kind)
    if name is None:
        raise config.ConfigError("config: unknown device kind '%s'" % kind)
    return __import__(name, None, None, ["APP_DEFAULTS"])


def build(board, raw_cfg):
    # returns a ready Supervisor; raises ConfigError on a bad configuration
    module = app_module(raw_cfg.get("kind"))
    saved = overrides_file(board).load()
    if saved:
        raw_cfg = dict(raw_cfg)
        app = dict(raw_cfg.get("app") or {})
        for key in saved:
            app[key] = saved[key]
        raw_cfg["app"] = app
    cfg = config.check(raw_cfg, module.APP_DEFAULTS)
    app = module.App(board, cfg)
    return Supervisor(board, cfg, app, module.APP_DEFAULTS)


def run(board, config_path, loop_ms=200):
    # the board's forever loop; an exception escapes to main.py, which resets the board
    with open(config_path) as f:
        import json
        raw = json.load(f)
    sup = build(board, raw)
    while True:
        sup.run_once()
        board.sleep_ms(loop_ms)
