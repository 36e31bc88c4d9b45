# conftest.py: lets firmware tests `import support` under pytest the same way the MicroPython runner
# does (it puts /tests first on sys.path), whatever pytest's --import-mode is. Firmware code itself is
# imported as the installed package `cityfw` (pyproject package-dir: cityfw -> firmware/).
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
