"""Queueing background jobs: one way in, failing fast and in Vietnamese when the broker cannot take the job.

With no broker configured Celery runs the job in-process (eager) and nothing here can fail for want of a broker.
"""

import logging

from celery import Task
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import KombuError

from .celery import app as celery_app

log = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = _(
    "Hệ thống xử lý nền hiện không hoạt động nên chưa thể xử lý việc này; dữ liệu chưa bị thay đổi. "
    "Hãy thử lại sau ít phút hoặc báo quản trị."
)


class BackgroundUnavailable(Exception):
    """The broker did not take the job (down, unreachable, refusing): nothing was queued."""

    message = UNAVAILABLE_MESSAGE


def runs_in_process() -> bool:
    """No broker configured: jobs run eagerly inside the request or command that queues them."""
    return bool(celery_app.conf.task_always_eager)


def enqueue(task: Task, *args) -> str:
    """Queue `task(*args)` and return its id; BackgroundUnavailable within seconds when the broker is unreachable.

    The timeouts and the single publish retry are in settings (BROKER_TIMEOUT_SECONDS); the caller records the
    failure on whatever waits for the job, so nothing is left "waiting" for a job that was never queued.
    """
    if runs_in_process():
        return str(task.delay(*args).id or "")  # the job's own exceptions propagate as they are
    try:
        result = task.delay(*args)
    except (KombuError, OSError) as exc:  # kombu wraps redis' connection errors in its OperationalError
        log.error("broker unavailable, %s not queued: %s", task.name, exc)
        raise BackgroundUnavailable(str(exc)) from exc
    return str(result.id or "")
