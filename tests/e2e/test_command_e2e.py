"""Commands from the hub to a running simulated board through the real broker: executed, or refused with a reason."""

from __future__ import annotations

import threading
import time

from typer.testing import CliRunner

from hub.cli.main import app
from hub.services.mosquitto import Mosquitto


def test_set_config_is_applied_and_a_bad_value_is_refused_with_a_reason(mosquitto: Mosquitto, make_fleet) -> None:
    fleet = make_fleet(1, speed=600)
    stop = threading.Event()
    runner_thread = threading.Thread(target=fleet.run, args=(10 * 86_400_000, stop), daemon=True)
    runner_thread.start()
    deadline = time.monotonic() + 20
    dev = fleet.devices["wm-0001"]
    while not (dev.sup is not None and dev.sup.link.connected) and time.monotonic() < deadline:
        time.sleep(0.02)   # a board that never connected has no session at the broker to queue commands in
    assert dev.sup is not None and dev.sup.link.connected, "the board came online"
    cli = CliRunner()
    env = {"CITYHUB_MQTT_URL": mosquitto.hub_url}
    try:
        ok = cli.invoke(app, ["command", "wm-0001", "set_config", "-p", "leak_window_h=12", "-p", "night_factor=2"],
                        env=env)
        assert ok.exit_code == 0, ok.output
        assert "set_config done" in ok.output
        sup = fleet.devices["wm-0001"].sup
        assert sup is not None
        assert sup.cfg["app"]["leak_window_h"] == 12 and sup.app.c["night_factor"] == 2

        bad = cli.invoke(app, ["command", "wm-0001", "set_config", "-p", "leak_window_h=soon"], env=env)
        assert bad.exit_code == 1
        assert "refused set_config" in bad.output and "leak_window_h" in bad.output, bad.output
        assert sup.cfg["app"]["leak_window_h"] == 12, "a refused command changes nothing"

        unknown = cli.invoke(app, ["command", "wm-0001", "self_destruct"], env=env)
        assert unknown.exit_code == 1 and "unknown op" in unknown.output
        ping = cli.invoke(app, ["command", "wm-0001", "ping"], env=env)
        assert ping.exit_code == 0, ping.output
    finally:
        stop.set()
        runner_thread.join(30)
    # the new thresholds survive a reboot (kept on the board's flash)
    dev = fleet.devices["wm-0001"]
    dev.boot(fleet.sim, "soft")
    assert dev.sup is not None and dev.sup.cfg["app"]["leak_window_h"] == 12


def test_command_to_a_silent_board_times_out_with_a_clear_message(mosquitto: Mosquitto) -> None:
    result = CliRunner().invoke(app, ["command", "wm-0999", "ping", "--timeout", "0.5"],
                                env={"CITYHUB_MQTT_URL": mosquitto.hub_url})
    assert result.exit_code == 1
    assert "no reply from wm-0999" in result.output
