"""Benchmarks run by `make bench`: each `bench_*.py` module builds its data in a PostgreSQL database of its own
and prints a last line `BENCH name=... value=... unit=... reference=... ratio=...`."""

import pkgutil
from pathlib import Path


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
