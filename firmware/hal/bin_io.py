# bin_io.py Provides the smart bin's hardware: JSN-SR04T ultrasonic, ADC inputs, LIS3DH accelerometer, lid,
# compactor pulse. Only hal/ imports machine; the maths is in drivers/ (ultrasonic, thermistor, tilt).
import time

import machine


class Ultrasonic:
    # JSN-SR04T: a 10 us (JSN: >= 10 us, 20 used) pulse on TRIG; ECHO is high for the round trip
    def __init__(self, trig, echo):
        self.trig = machine.Pin(trig, machine.Pin.OUT, value=0)
        self.echo = machine.Pin(echo, machine.Pin.IN)

    def echoes_us(self, n, gap_ms, timeout_us):
        # n round-trip times in us; None for a ping without echo (timeout)
        out = []
        for i in range(n):
            if i:
                time.sleep_ms(gap_ms)
            self.trig.value(1)
            time.sleep_us(20)
            self.trig.value(0)
            t = machine.time_pulse_us(self.echo, 1, timeout_us)
            out.append(t if t > 0 else None)
        return out


class AdcInput:
    # a voltage on an ADC1 pin (11 dB attenuation: 0-3.1 V usable), in millivolts
    def __init__(self, pin):
        self.adc = machine.ADC(machine.Pin(pin))
        self.adc.atten(machine.ADC.ATTN_11DB)

    def read_mv(self):
        total = 0
        for _ in range(4):
            total += self.adc.read_uv()
        return total // 4000


class Accelerometer:
    # LIS3DH (or LIS2DH12) at 0x18/0x19, +-2 g, 10 Hz; read_g() raises OSError when it does not answer
    def __init__(self, sda, scl, addr=None):
        self.i2c = machine.I2C(0, sda=machine.Pin(sda), scl=machine.Pin(scl), freq=100000)
        self.addr = addr
        self.ready = False

    def _start(self):
        if self.addr is None:
            found = [a for a in self.i2c.scan() if a in (0x18, 0x19)]
            if not found:
                raise OSError("accelerometer not found")
            self.addr = found[0]
        self.i2c.writeto_mem(self.addr, 0x20, b"\x27")   # CTRL_REG1: 10 Hz, x/y/z on
        time.sleep_ms(110)                                # first sample after power-up
        self.ready = True

    def read_g(self):
        if not self.ready:
            self._start()
        raw = self.i2c.readfrom_mem(self.addr, 0x28 | 0x80, 6)   # OUT_X_L.., auto-increment
        out = []
        for i in (0, 2, 4):
            v = raw[i] | raw[i + 1] << 8
            if v & 0x8000:
                v -= 0x10000
            out.append(v / 16384.0)
        return out[0], out[1], out[2]


class Lid:
    # reed switch to ground, magnet on the lid: closed contact (pin low) = lid shut
    def __init__(self, pin):
        self.pin = machine.Pin(pin, machine.Pin.IN, machine.Pin.PULL_UP)

    def is_open(self):
        return self.pin.value() == 1


LOCKOUT_MS = 500   # closures closer than this are the contact bouncing, not another cycle


class Compactor:
    # the compactor controller closes a contact to ground once per compaction cycle (pull-up: closed = low).
    # While awake, an interrupt counts the closures (with a lockout against contact bounce); in deep sleep a
    # closure wakes the board (ext0, low level) and that wake counts as one cycle
    def __init__(self, pin):
        self.pin = machine.Pin(pin, machine.Pin.IN, machine.Pin.PULL_UP)
        self.count = 0
        self.last = None   # ticks of the last edge
        ext0 = getattr(machine, "EXT0_WAKE", None)
        if ext0 is not None and machine.reset_cause() == machine.DEEPSLEEP_RESET and machine.wake_reason() == ext0:
            self.count = 1
            self.last = time.ticks_ms()   # the closure that woke the board may still bounce
        self.pin.irq(self._edge, machine.Pin.IRQ_FALLING)

    def _edge(self, pin):
        # interrupt handler: no allocation (small ints only)
        t = time.ticks_ms()
        if self.last is None or time.ticks_diff(t, self.last) >= LOCKOUT_MS:
            self.count += 1
        self.last = t

    def take(self):
        n, self.count = self.count, 0
        return n

    def arm_wake(self):
        # a level wake: with the contact still closed (a cycle in progress, or a stuck contact) the board would
        # wake at once, count the same closure again, sleep, wake... Then sleep on the timer only: the closure
        # has been counted, and at worst a cycle during this one sleep is missed
        if self.pin.value() == 0:
            return False
        import esp32
        wake = getattr(esp32, "wake_on_ext0", None)
        if wake is None:
            # chips without ext0 (ESP32-C3): the bin sleeps on the timer; cycles while asleep are not counted
            return False
        wake(self.pin, esp32.WAKEUP_ALL_LOW)
        return True


def build(board, pins):
    # the smart bin's inputs on board, from the pin roles of config.json
    board.ultrasonic = Ultrasonic(pins["us_trig"], pins["us_echo"])
    board.temp_adc = AdcInput(pins["temp"])
    board.battery_adc = AdcInput(pins["battery"])
    board.accel = Accelerometer(pins["i2c_sda"], pins["i2c_scl"])
    board.lid = Lid(pins["lid"])
    board.compactor = Compactor(pins["compactor"])
