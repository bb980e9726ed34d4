"""/healthz for load balancers and monitoring: the database, the broker and the workers, each reported on its own.

HTTP 503 only when the database is unreachable: this server can then serve nothing, and a load balancer should
send officers elsewhere. A broker or worker outage is shared by every server behind the balancer, and pages still
work (background jobs are refused with a message), so it is "degraded" with HTTP 200 and the JSON says which part
failed. Error details go to the log, not to this public answer.
"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .celery import app as celery_app
from .jobs import runs_in_process

log = logging.getLogger(__name__)

OK, ERROR, NOT_CONFIGURED, UNKNOWN = "ok", "error", "not configured", "unknown"
# A worker answers a ping within milliseconds when it is alive; a load balancer probes every few seconds.
WORKER_PING_SECONDS = 1.0


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.warning("health: database unreachable: %s", exc)
        return {"status": ERROR}
    return {"status": OK}


def broker_status() -> dict:
    if runs_in_process():
        return {"status": NOT_CONFIGURED}
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.1, interval_max=0.1)
            conn.default_channel  # noqa: B018 - opening the channel is what talks to Redis
    except Exception as exc:  # kombu and redis raise several kinds; any of them means no broker
        log.warning("health: broker unreachable: %s", exc)
        return {"status": ERROR}
    return {"status": OK}


def worker_status(broker_ok: bool) -> dict:
    if runs_in_process():
        return {"status": NOT_CONFIGURED}
    if not broker_ok:
        return {"status": UNKNOWN}  # workers are reached through the broker
    try:
        replies = celery_app.control.ping(timeout=WORKER_PING_SECONDS)
    except Exception as exc:
        log.warning("health: worker ping failed: %s", exc)
        return {"status": ERROR}
    if not replies:
        log.warning("health: no worker answered within %s s", WORKER_PING_SECONDS)
        return {"status": ERROR, "workers": 0}
    return {"status": OK, "workers": len(replies)}


@login_not_required
@require_safe
@never_cache
def healthz(request):
    database = database_status()
    broker = broker_status()
    worker = worker_status(broker["status"] == OK)
    if database["status"] != OK:
        overall = "down"
    elif worker["status"] in (ERROR, UNKNOWN) or broker["status"] == ERROR:
        overall = "degraded"
    else:
        overall = OK
    body = {"status": overall, "database": database, "broker": broker, "worker": worker}
    return JsonResponse(body, status=503 if overall == "down" else 200)
