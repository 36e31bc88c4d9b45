# tilt.py Tilt of the bin from an accelerometer's gravity vector (the I2C bus is in hal/bin_io.py)
# 0 degrees = upright (gravity along the sensor's z axis), 90 = lying on its side.
import math


def tilt_deg(x, y, z):
    # x, y, z in g; None when the vector is far from 1 g (sensor broken, or the bin is falling/being shaken)
    g = math.sqrt(x * x + y * y + z * z)
    if g < 0.5 or g > 1.5:
        return None
    c = z / g
    c = 1.0 if c > 1.0 else max(c, -1.0)
    return math.degrees(math.acos(c)) if hasattr(math, "degrees") else math.acos(c) * 180.0 / math.pi
