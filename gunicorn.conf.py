"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Sync workers (one request at a time each) suit SQLite's single writer and keep memory
predictable; use 2 × cores + 1 workers. The access log is off on purpose: it would record
client addresses, which Familienkompass never keeps for citizen requests.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = None
errorlog = "-"
loglevel = "info"
# Behind a TLS-terminating reverse proxy on the same host.
forwarded_allow_ips = "127.0.0.1"
# gunicorn's own warnings about malformed requests name the client ("from ip=…"): dropped.
logger_class = "app.gunicorn_logging.AnonymousLogger"
