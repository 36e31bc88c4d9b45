# thermistor.py Temperature from an NTC thermistor read through a voltage divider (the ADC is in hal/)
# NTC from the ADC pin to ground, fixed resistor from the supply to the pin. Beta equation.
import math

KELVIN = 273.15


def ntc_temp_c(mv, supply_mv=3300, fixed_ohm=10000, r0_ohm=10000, beta=3950, t0_c=25.0):
    # returns degrees Celsius, or None when the NTC is open (cable cut: the pin sits at the supply). Near 0 V
    # the NTC is either shorted or hotter than ~190 degrees: read as that hot (fail-safe: FIRE, not a fault)
    if mv is None or mv >= supply_mv - 30:
        return None
    mv = max(mv, 30)
    r = fixed_ohm * mv / (supply_mv - mv)
    inv = 1.0 / (t0_c + KELVIN) + math.log(r / r0_ohm) / beta
    return 1.0 / inv - KELVIN
