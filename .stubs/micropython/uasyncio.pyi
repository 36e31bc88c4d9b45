# This umodule is a MicroPython reference to asyncio
from asyncio import *
