# This umodule is a MicroPython reference to array
from array import *
