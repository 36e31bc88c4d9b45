# light_io.py The park light's hardware (ESP32): PWM lamp output, PIR motion input, lamp current sense ADC
# Built by Esp32Board when the pin roles "lamp" (PWM out to the LED driver's dimming input), "pir" (in) and
# "lamp_current" (ADC) are in config.json. Only firmware/hal/ may import machine.
import machine

PWM_HZ = 1000   # LED drivers' PWM dimming inputs take 100 Hz - 3 kHz


class Lamp:
    def __init__(self, pin):
        self.pwm = machine.PWM(machine.Pin(pin), freq=PWM_HZ, duty_u16=0)

    def set_level(self, pct):
        self.pwm.duty_u16(pct * 65535 // 100)


class MotionSensor:
    # PIR module output (high while it sees motion); rising edges counted by interrupt between passes
    def __init__(self, pin):
        self.pin = machine.Pin(pin, machine.Pin.IN, machine.Pin.PULL_DOWN)
        self.edges = 0
        self.pin.irq(self._rise, machine.Pin.IRQ_RISING)

    def _rise(self, pin):
        self.edges += 1

    def take(self):
        state = machine.disable_irq()
        n = self.edges
        self.edges = 0
        machine.enable_irq(state)
        return n

    def value(self):
        return self.pin.value()


class LampCurrent:
    # voltage from the lamp current sense (shunt amplifier or current transformer + rectifier), in mV
    def __init__(self, pin):
        self.adc = machine.ADC(machine.Pin(pin))
        self.adc.atten(machine.ADC.ATTN_11DB)

    def read_mv(self):
        return self.adc.read_uv() // 1000


def build(board, pins):
    board.lamp = Lamp(pins["lamp"])
    board.pir = MotionSensor(pins["pir"])
    board.lamp_current = LampCurrent(pins["lamp_current"]) if "lamp_current" in pins else None
