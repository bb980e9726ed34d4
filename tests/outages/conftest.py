import socket

import pytest

from drugfree.celery import app as celery_app


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once, as with Redis stopped."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def broker_down():
    """Celery configured with a Redis broker that is down (the tests otherwise run jobs in-process)."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    celery_app.conf.task_always_eager = False
    yield celery_app
    celery_app.conf.update(saved)
    celery_app.close()  # drop the connection pool built for the dead broker
