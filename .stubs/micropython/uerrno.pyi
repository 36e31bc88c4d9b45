# This umodule is a MicroPython reference to errno
from errno import *
