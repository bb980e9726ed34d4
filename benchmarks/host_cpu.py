"""The host's CPU during a load test, read from /proc (Linux): how busy the cores were, and how much of it went to
the web server's processes, to the PostgreSQL backends serving the test's database, and to the load generator.

A background thread takes a snapshot every second; `share()` compares the two snapshots nearest to the start and
the end of the measured window. Figures are percentages of the whole machine (every core: 100 % on 2 cores is both
cores fully busy). On a host without /proc the figures are left out.
"""

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = Path("/proc")


def available() -> bool:
    return (PROC / "stat").exists()


def host_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of every core since boot."""
    values = [int(x) for x in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # user nice system idle iowait irq softirq steal (guest time is inside user)
    return total - idle, total


def _stat(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on: the name may hold spaces


def process_ticks(pid: int, *, with_children: bool = False) -> int:
    """utime + stime of a process (and of its children it has already reaped: a recycled gunicorn worker)."""
    fields = _stat(pid)
    if fields is None:
        return 0
    used = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of /proc/<pid>/stat)
    return used + (int(fields[13]) + int(fields[14]) if with_children else 0)  # cutime, cstime


def children(pid: int) -> list[int]:
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def tree_ticks(pid: int) -> int:
    """A server and its workers: the master with its reaped workers, plus the live ones."""
    return process_ticks(pid, with_children=True) + sum(process_ticks(child) for child in children(pid))


@dataclass
class Snapshot:
    at: float
    busy: int
    total: int
    groups: dict[str, dict[int, int]]  # group → pid → ticks


@dataclass
class Sampler:
    """Samples every `interval` s: the host's ticks, and for each group its processes' ticks. `groups` maps a name to
    a function returning {pid: ticks} (called in the sampling thread)."""

    groups: dict
    interval: float = 1.0
    snapshots: list[Snapshot] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def take(self) -> None:
        busy, total = host_ticks()
        groups = {}
        for name, read in self.groups.items():
            try:
                groups[name] = read()
            except Exception:  # a group that cannot be read this second (a connection dropped) is left out
                groups[name] = {}
        self.snapshots.append(Snapshot(time.time(), busy, total, groups))

    def _run(self):
        while not self._stop.wait(self.interval):
            self.take()

    def start(self):
        if available():
            self.take()
            self._thread.start()
        return self

    def stop(self):
        if available():
            self._stop.set()
            self._thread.join()
            self.take()

    def share(self, started: float, ended: float) -> dict[str, float]:
        """Percent of the whole machine between the snapshots nearest to `started` and `ended`: "host" (every
        process), then each group. Empty without /proc or with too few snapshots."""
        if len(self.snapshots) < 2:
            return {}
        first = min(self.snapshots, key=lambda s: abs(s.at - started))
        last = min(self.snapshots, key=lambda s: abs(s.at - ended))
        if last.total <= first.total:
            return {}
        capacity = last.total - first.total  # ticks of every core over the window
        result = {"host": 100 * (last.busy - first.busy) / capacity}
        for name in self.groups:
            before, after = first.groups.get(name, {}), last.groups.get(name, {})
            # A process seen only at the end started during the window: all its time counts.
            used = sum(ticks - before.get(pid, 0) for pid, ticks in after.items())
            result[name] = 100 * max(used, 0) / capacity
        return result
