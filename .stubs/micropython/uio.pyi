# This umodule is a MicroPython reference to io
from io import *
