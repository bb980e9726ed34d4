"""gunicorn's settings for production (`gunicorn drugfree.wsgi` reads this file from the working directory; see
README "Production"). Every value can be overridden on the command line or by GUNICORN_CMD_ARGS."""

import os

# Behind the reverse proxy on the same host: never listen on a public address by default.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, one per core (`make bench-load`, 50 officers, 2 cores): 2 sync workers answered with p95 195 ms and no
# error, 2 threaded workers (gthread, 4 threads, keep-alive) with p95 505 ms and two connections dropped at the
# keep-alive timeout; on 7 December (2 threads, keep-alive 5 s, a busy host) both had 0 errors and threads queued a
# little more (p95 1.27x the static file's against 1.22x). A page is Python CPU time: threads of one process only
# take turns on it, and a request that waits in the socket's queue is served sooner than one that shares a core with
# three others.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# The application, its URLs, templates and catalogues are loaded once in the master and shared by the forked workers,
# so that a worker's first request is as fast as its hundredth (drugfree/warmup.py).
preload_app = True
# Exports and a synchronous preview of a small import may take a while; longer work goes to Celery.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Keep-alive: the browser's connection (and its TLS session) is kept open by the reverse proxy (nginx's
# keepalive_timeout, 75 s by default); sync workers answer each proxied request on a connection of its own
# ("Connection: close"), a loopback connect of ~0.1 ms. Threaded workers (GUNICORN_WORKER_CLASS=gthread) keep
# connections open this long: longer than an officer's pause between two clicks, so that a reused connection is not
# closed under the client (the load test's think time is 0.5-2 s; `GUNICORN_WORKER_CLASS=gthread make bench-load`
# compares them).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak (a large spreadsheet read) cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory rather than on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# X-Forwarded-* are trusted from the proxy only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Django logs each event (with the request id) to stderr; gunicorn adds its access log only when asked.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn ≥ 27's control socket defaults to one path in the home directory, shared by every instance on the host
# (a second service, the load test); nothing here uses it.
control_socket_disable = True


def when_ready(server):
    """In the master, after the application was loaded and before any worker is forked."""
    from drugfree.warmup import warm_up

    warm_up()
