# This umodule is a MicroPython reference to websocket
from websocket import *
