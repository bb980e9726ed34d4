"""gunicorn's settings for production (`gunicorn drugfree.wsgi` reads this file from the working directory; see
README "Production"). Every value can be overridden on the command line or by GUNICORN_CMD_ARGS."""

import os

# Behind the reverse proxy on the same host: never listen on a public address by default.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threaded workers (README "Production", measured with `make bench-load`): a page costs Python CPU time, so one
# process per core, plus one; a few threads each keep connections alive and overlap the database's share of a request
# instead of queueing behind it. Sync workers close every connection after each response.
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# The application, its URLs, templates and catalogues are loaded once in the master and shared by the forked workers,
# so that a worker's first request is as fast as its hundredth (drugfree/warmup.py).
preload_app = True
# Exports and a synchronous preview of a small import may take a while; longer work goes to Celery.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Browsers keep the connection for the page's static files and the next click (the proxy keeps its own upstream).
keepalive = 5
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
