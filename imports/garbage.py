"""Python's cycle collector paused while an import builds or walks its rows.

A 100,000-row list is a few hundred thousand live objects (rows, their dicts, tuples); the collector rescans them all
each time enough new ones have been allocated, which cost about a third of the clean-and-plan time. These objects do
not form cycles: reference counting frees them, so pausing the collector for the stage does not let memory grow.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Turned back on only by the pause that found it on: nested pauses leave it to the outer one.
        if was_enabled:
            gc.enable()
