# esp32.py Provides Esp32Board: the real hardware layer, the only firmware file that imports machine/network
# Everything else receives this board object: clock, WiFi, sockets, watchdog, flash root, pulse input.
import gc
import os
import time
import socket
import machine
import network

EPOCH_OFFSET_MS = 946684800000 if time.gmtime(0)[0] == 2000 else 0   # MicroPython's epoch may be 2000
RESET_CAUSES = {
    machine.PWRON_RESET: "power_on", machine.HARD_RESET: "hard", machine.WDT_RESET: "watchdog",
    machine.DEEPSLEEP_RESET: "deep_sleep", machine.SOFT_RESET: "soft",
}


class Rtc:
    def now_ms(self):
        # ticks are opaque in the MicroPython stubs (only for ticks_diff); here they are a plain small int
        # used as a sub-second filler, which never takes the result below the current whole second
        return time.time() * 1000 + EPOCH_OFFSET_MS + time.ticks_ms() % 1000   # type: ignore[operator]

    def ticks_ms(self):
        return time.ticks_ms()

    def ticks_diff(self, a, b):
        return time.ticks_diff(a, b)

    def valid(self):
        # the RTC keeps counting through deep sleep and soft resets: a time after 2024 was set by NTP
        return time.gmtime()[0] >= 2024

    def sync(self):
        # any failure (timeout, short or odd reply) is "not synced"; a time before 2024 is not believed
        try:
            import ntptime
            ntptime.settime()
        except Exception:
            return False
        return time.gmtime()[0] >= 2024


class Wifi:
    def __init__(self):
        self.wlan = network.WLAN(network.STA_IF)   # switched on at the first connect: a battery board wakes
        # with the radio off and only turns it on when it has something to send

    def connect(self, ssid, password):
        if not self.wlan.active():
            self.wlan.active(True)
        if self.wlan.status() == network.STAT_CONNECTING:
            return   # an association in progress: do not abort it
        self.wlan.disconnect()
        self.wlan.connect(ssid, password)

    def isconnected(self):
        return self.wlan.isconnected()

    def rssi(self):
        return self.wlan.status("rssi")


class PulseInput:
    # pulse contact between `pin` and ground (internal pull-up); optional sense ADC (see docs/water-meter.md)
    def __init__(self, pin, sense_pin=None):
        self.pin = machine.Pin(pin, machine.Pin.IN, machine.Pin.PULL_UP)
        self.adc = None
        if sense_pin is not None:
            self.adc = machine.ADC(machine.Pin(sense_pin))
            self.adc.atten(machine.ADC.ATTN_11DB)

    def attach(self, on_edge):
        # both edges: the driver needs the openings to tell a closure from the bounce of an opening
        pin = self.pin
        pin.irq(lambda p: on_edge(time.ticks_ms(), pin.value() == 0),
                machine.Pin.IRQ_FALLING | machine.Pin.IRQ_RISING)

    def level(self):
        return 1 - self.pin.value()   # 1 = contact closed

    def sense_mv(self):
        return self.adc.read_uv() // 1000 if self.adc is not None else None


class Esp32Board:
    def __init__(self, cfg, fs_root="/data", wdt_ms=60000):
        self.fs_root = fs_root
        try:
            os.mkdir(fs_root)   # first boot after flashing: the data directory does not exist yet
        except OSError:
            pass
        self.rtc = Rtc()
        self.wifi = Wifi()
        self.watchdog = machine.WDT(timeout=wdt_ms)
        pins = cfg.get("pins", {})
        self.pulse_input = PulseInput(pins["pulse"], pins.get("sense")) if "pulse" in pins else None
        if "us_trig" in pins:
            from cityfw.hal.bin_io import build
            build(self, pins)
        if "beam_a" in pins:   # pedestrian counter: two IR break-beams
            from cityfw.hal.beams import BeamInputs
            self.beams = BeamInputs(pins["beam_a"], pins["beam_b"])
        if "lamp" in pins:
            from cityfw.hal import light_io   # park light: lamp PWM, motion sensor, lamp current sense
            light_io.build(self, pins)

    def net_ticks_ms(self):
        return time.ticks_ms()

    def net_ticks_diff(self, a, b):
        return time.ticks_diff(a, b)

    def open_socket(self, host, port, timeout_ms):
        addr = socket.getaddrinfo(host, port)[0][-1]
        s = socket.socket()
        s.settimeout(timeout_ms / 1000)
        try:
            s.connect(addr)
        except OSError:
            s.close()
            raise
        return s

    def rand(self, n):
        import random
        return random.getrandbits(30) % n

    def mem_free(self):
        gc.collect()
        return gc.mem_free()

    def reset_cause(self):
        return RESET_CAUSES.get(machine.reset_cause(), "unknown")

    def sleep_ms(self, ms):
        time.sleep_ms(ms)

    def reset(self):
        machine.reset()

    def deep_sleep(self, ms):
        # never returns: the board boots again after ms (or on a wake pin), reset cause deep_sleep
        wake = getattr(self, "compactor", None)
        if wake is not None:
            wake.arm_wake()
        machine.deepsleep(ms)


def hard_reset():
    machine.reset()
