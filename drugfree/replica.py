"""Dashboards read from a PostgreSQL read replica when `DATABASE_REPLICA_URL` sets one up (README "Production"):
the figures are aggregates over the whole commune or province, the heaviest reads the service does, and a second or
two of replication delay does not change them."""

import contextvars
from contextlib import contextmanager

from django.urls import Resolver404, resolve

REPLICA = "replica"
# The domain's records. Sessions and accounts stay on the primary: a user who has just signed in, or a session just
# written, may not have reached the replica yet.
DOMAIN_APPS = frozenset({"communes", "residents", "pledges", "progress"})
DASHBOARD_NAMESPACES = frozenset({"progress"})

_dashboard_reads = contextvars.ContextVar("dashboard_reads", default=False)


@contextmanager
def reading_from_replica():
    token = _dashboard_reads.set(True)
    try:
        yield
    finally:
        _dashboard_reads.reset(token)


class ReplicaRouter:
    """Reads of the domain's records made while a dashboard is served go to the replica; every write, and every
    other read, to the primary (an officer always sees what they have just saved)."""

    def db_for_read(self, model, **hints):
        if _dashboard_reads.get() and model._meta.app_label in DOMAIN_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both sides

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary's schema through replication


class DashboardReadsMiddleware:
    """Serves GET and HEAD requests of the dashboards (the `progress` URLs) with reads from the replica; their POSTs
    (a month's review) stay on the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and self._is_dashboard(request.path_info):
            with reading_from_replica():
                return self.get_response(request)
        return self.get_response(request)

    @staticmethod
    def _is_dashboard(path: str) -> bool:
        try:
            return resolve(path).namespace in DASHBOARD_NAMESPACES
        except Resolver404:
            return False
