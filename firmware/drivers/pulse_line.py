# pulse_line.py Provides line_state(): reads the health of a pulse cable from its sense voltage
# Wiring (docs/water-meter.md): the meter's contact closes to ground; an end-of-line resistor across the
# contact and a pull-up make three levels on the sense input: ~0 V contact closed, ~half supply contact
# open, ~full supply when the cable is cut (the end-of-line resistor is gone).

CLOSED = "closed"
OPEN = "open"
CUT = "cut"


def line_state(sense_mv, supply_mv=3300, cut_fraction=0.85, closed_fraction=0.15):
    if sense_mv >= supply_mv * cut_fraction:
        return CUT
    if sense_mv <= supply_mv * closed_fraction:
        return CLOSED
    return OPEN
