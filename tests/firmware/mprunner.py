# mprunner.py: minimal test runner for firmware tests on MicroPython (no pytest there).
# Driven by micropython_runner.mjs; also runs on CPython: python tests/firmware/mprunner.py [test_x.py ...]
import gc
import os
import sys


def _print_exc(e):
    if hasattr(sys, "print_exception"):
        sys.print_exception(e)  # MicroPython
    else:
        import traceback

        traceback.print_exception(type(e), e, e.__traceback__, file=sys.stdout)


def _modules(test_dir, names):
    if not names:
        names = [f for f in os.listdir(test_dir) if f.startswith("test_") and f.endswith(".py")]
    names = [n.split("/")[-1] for n in names]
    return sorted(n[:-3] if n.endswith(".py") else n for n in names)  # noqa: FURB188 (no removesuffix on MP)


def run(names=None, test_dir="/tests"):
    """Run test_* functions of the given (default: all) test modules; return (passed, failed)."""
    passed = failed = 0
    for mod_name in _modules(test_dir, names):
        try:
            mod = __import__(mod_name)
        except KeyboardInterrupt:
            raise
        except BaseException as e:  # noqa: BLE001
            failed += 1
            print("FAIL " + mod_name + " (import error)")
            _print_exc(e)
            continue
        for name in sorted(dir(mod)):
            fn = getattr(mod, name)
            if not name.startswith("test_") or not callable(fn):
                continue
            label = mod_name + "." + name
            try:
                result = fn()
                if hasattr(result, "send"):  # coroutines are generators on MicroPython
                    result.close()
                    raise AssertionError("test returned a generator/coroutine: async tests are not run")
            except KeyboardInterrupt:
                raise
            except BaseException as e:  # noqa: BLE001 (SystemExit from firmware code is a failure too)
                failed += 1
                print("FAIL " + label)
                _print_exc(e)
            else:
                passed += 1
                print("PASS " + label)
            gc.collect()
    print(f"{passed} passed, {failed} failed")
    return passed, failed


if __name__ == "__main__":
    _here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
    sys.path.insert(0, _here)
    sys.exit(1 if run(sys.argv[1:], _here)[1] else 0)
