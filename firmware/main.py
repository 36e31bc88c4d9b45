# main.py The board's entry point: load config, build the app, run; any crash resets the board
import sys
import time


def main():
    from cityfw.hal.esp32 import Esp32Board
    from cityfw.core import boot, config
    cfg = config.read("/config.json")
    board = Esp32Board(cfg)
    boot.run(board, cfg)


try:
    main()
except Exception as e:
    sys.print_exception(e)
    time.sleep(10)
    from cityfw.hal.esp32 import hard_reset
    hard_reset()
