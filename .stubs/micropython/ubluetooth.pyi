# This umodule is a MicroPython reference to bluetooth
from bluetooth import *
