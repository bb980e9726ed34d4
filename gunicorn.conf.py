"""gunicorn's settings for production (`gunicorn drugfree.wsgi` reads this file from the working directory; see
README "Production"). Every value can be overridden on the command line or by GUNICORN_CMD_ARGS."""

import os

# Behind the reverse proxy on the same host: never listen on a public address by default.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the pages are short database-bound requests; 2 × cores + 1 is gunicorn's own rule of thumb.
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) * 2 + 1))
worker_class = "sync"
# Exports and a synchronous preview of a small import may take a while; longer work goes to Celery.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
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
