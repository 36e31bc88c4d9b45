# This umodule is a MicroPython reference to json
from json import *
