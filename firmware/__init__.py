# cityfw: MicroPython firmware for the city's ESP32 sensor boards (core + one app per device kind)
