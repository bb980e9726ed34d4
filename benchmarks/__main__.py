"""`python -m benchmarks [name ...]`: run every benchmark (or the named ones), each in its own process, because
each points Django at its own database before set-up."""

import subprocess
import sys

from benchmarks import available


def main(argv: list[str]) -> int:
    names = [n if n.startswith("bench_") else f"bench_{n}" for n in argv] or available()
    if not names:
        print("no benchmarks yet")
        return 0
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}")
        return 2
    failed = [name for name in names if subprocess.run([sys.executable, "-m", f"benchmarks.{name}"]).returncode]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
