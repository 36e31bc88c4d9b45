# This umodule is a MicroPython reference to hashlib
from hashlib import *
