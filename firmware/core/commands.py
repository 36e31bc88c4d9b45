# commands.py Answers commands from the hub (topic city/v1/<id>/cmd), reply on the ack channel
# Command: {"id": "<cmd id>", "op": "<name>", "params": {...}}. Reply: {"id", "op", "ok", "reason"}.
# Core ops: "ping"; "set_config" (app thresholds, checked against the app's defaults, kept on flash so they
# survive a reboot). An app may answer more ops through app.command(op, params) -> (ok, reason).
import json
from cityfw.core.config import check, ConfigError
from cityfw.core.state_file import StateFile


def _reply(cmd_id, op, ok, reason):
    return {"id": cmd_id, "op": op, "ok": ok, "reason": reason}


def answer(sup, payload):
    try:
        cmd = json.loads(payload)
    except ValueError:
        return _reply(None, None, False, "not JSON")
    if not isinstance(cmd, dict) or not isinstance(cmd.get("op"), str):
        return _reply(None, None, False, "missing op")
    cmd_id, op = cmd.get("id"), cmd["op"]
    params = cmd.get("params") or {}
    if not isinstance(params, dict):
        return _reply(cmd_id, op, False, "params must be an object")
    if op == "ping":
        return _reply(cmd_id, op, True, None)
    if op == "set_config":
        return _set_config(sup, cmd_id, params)
    handler = getattr(sup.app, "command", None)
    if handler is None:
        return _reply(cmd_id, op, False, "unknown op")
    ok, reason = handler(op, params)
    return _reply(cmd_id, op, ok, reason)


def overrides_file(board):
    return StateFile(board.fs_root + "/overrides.json")


def _set_config(sup, cmd_id, params):
    defaults = sup.app_defaults
    for key in getattr(sup, "app_fixed", ()):
        # e.g. a light's group: the broker's rules for this board follow the registry, so a group changed here
        # would have the board cut off at its first presence message
        if key in params and params[key] != sup.cfg["app"].get(key):
            return _reply(cmd_id, "set_config", False, "app.%s is set when the board is registered "
                          "(the broker's rules follow it): register the board again to change it" % key)
    app_cfg = dict(sup.cfg["app"])
    for key in params:
        app_cfg[key] = params[key]
    try:
        cfg = check({"device_id": sup.device_id, "kind": sup.kind, "mqtt": sup.cfg["mqtt"], "app": app_cfg},
                    defaults, sup.app_check, getattr(sup, "app_signed", ()))
    except ConfigError as e:
        return _reply(cmd_id, "set_config", False, str(e))
    # saved first: a flash that cannot be written refuses the change instead of applying it until the next reboot
    store = overrides_file(sup.board)
    saved = store.load() or {}
    for key in params:
        saved[key] = params[key]
    try:
        store.save(saved)
    except OSError as e:
        return _reply(cmd_id, "set_config", False, "cannot save the settings: %s" % e)
    sup.cfg["app"] = cfg["app"]
    sup.app.configure(cfg["app"])
    return _reply(cmd_id, "set_config", True, None)
