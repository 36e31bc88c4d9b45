# This umodule is a MicroPython reference to zlib
from zlib import *
