import contextlib
import socket

import pytest

from drugfree.celery import app as celery_app


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once, as with Redis stopped."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def drop_broker_connections():
    """Forget the pools built for another broker URL (a process never changes its broker outside these tests)."""
    celery_app.close()
    celery_app.amqp._producer_pool = None
    with contextlib.suppress(AttributeError):  # the control mailbox's producer pool, cached once used
        celery_app.control._after_fork()


@contextlib.contextmanager
def broker(url: str):
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    drop_broker_connections()
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield celery_app
    finally:
        celery_app.conf.update(saved)
        drop_broker_connections()


@pytest.fixture
def broker_down():
    """Celery configured with a Redis broker that is down (the tests otherwise run jobs in-process)."""
    with broker(f"redis://127.0.0.1:{closed_port()}/0") as app:
        yield app
