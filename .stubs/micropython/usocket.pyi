# This umodule is a MicroPython reference to socket
from socket import *
