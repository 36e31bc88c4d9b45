# beams.py Provides BeamInputs: the pedestrian counter's two IR break-beam receivers (hardware layer)
# Receivers with an open-collector output, pulled up: the output reads 0 while the beam is broken (the
# receiver sees no light) and 1 while it is intact. Both edges of both pins interrupt; the handler passes
# (beam, broken, ticks_ms) to the driver (drivers/beam_pair.py), which only stores it.
# On the ESP32 port every Pin.irq handler is soft (scheduled, no hard=True): it runs between two bytecodes,
# so the level and time it reads are those of that moment, and while a blocking call (DNS, TCP connect)
# holds the interpreter, edges wait in the scheduler's small queue or are lost. See docs, Limits.
import time
import machine

A = 0
B = 1


class BeamInputs:
    def __init__(self, pin_a, pin_b):
        self.pins = (machine.Pin(pin_a, machine.Pin.IN, machine.Pin.PULL_UP),
                     machine.Pin(pin_b, machine.Pin.IN, machine.Pin.PULL_UP))
        self._on_edge = None

    def attach(self, on_edge):
        self._on_edge = on_edge
        pa, pb = self.pins
        # bound handlers made once: the interrupt itself allocates nothing
        pa.irq(self._irq_a, machine.Pin.IRQ_FALLING | machine.Pin.IRQ_RISING)
        pb.irq(self._irq_b, machine.Pin.IRQ_FALLING | machine.Pin.IRQ_RISING)

    def _irq_a(self, pin):
        self._on_edge(A, pin.value() == 0, time.ticks_ms())

    def _irq_b(self, pin):
        self._on_edge(B, pin.value() == 0, time.ticks_ms())

    def broken(self, beam):
        return self.pins[beam].value() == 0
