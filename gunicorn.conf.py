"""Gunicorn settings for `make serve`, the one start command of the app (natively and in Docker).

Every value comes from the environment so docker-compose.yml, the tests and the benchmark start
the same server the same way.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Threads overlap the database round trips; a few processes use the cores.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker stuck longer than this (a request hanging) is replaced; slow clients reading or
# sending are bounded by nginx's timeouts in front and by gunicorn's per-request socket timeout.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Import the app (Django, pandas, Plotly: about 1.2 s of CPU) once in the master and fork the
# workers from it, so a recycled worker starts in milliseconds. Code changes need a restart of
# the master (a new container), not a HUP.
preload_app = True
# Recycle workers now and then so no leak grows without bound; rarely, as each worker keeps its
# database connection and warmed-up Django state.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# Refuse absurd request lines and headers before Django sees them.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Several servers share a machine in the tests and bench; a control socket in $HOME would clash.
control_socket_disable = True
# The app logs each request itself, in JSON with its request id; gunicorn's own messages too.
accesslog = None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}
