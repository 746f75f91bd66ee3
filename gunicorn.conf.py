"""gunicorn's settings for `make serve` (gunicorn reads this file from the working directory).

Every value comes from the environment, with these defaults (README, docs/deploy.md):
HOST 127.0.0.1, PORT 8000, WEB_CONCURRENCY 3 worker processes, GUNICORN_THREADS 1 thread each,
GUNICORN_TIMEOUT 120 seconds before a silent worker is restarted. Workers hold no state of their
own (sessions, cache and uploads live in the database and the shared cache), so any number of
them, on any number of machines, answer alike.
"""

import os

wsgi_app = "casualty_tracker.wsgi:application"
bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 3)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
# gthread, even with one thread: its workers keep telling the arbiter they are alive while a
# thread streams a long export, so the timeout never cuts an ordinary export (the sync worker is
# killed mid-stream; tests/api/test_export_server.py).
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 120)
graceful_timeout = 30
# Access log on stdout, errors on stderr: the process manager keeps both.
accesslog = "-"
errorlog = "-"
# Only a proxy on these addresses may set X-Forwarded-Proto / X-Forwarded-For (gunicorn's
# default: 127.0.0.1). Django trusts X-Forwarded-Proto only with BEHIND_TLS_PROXY=true.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
# gunicorn 27's runtime control socket sits at one path per user: two servers (or a server and
# the tests) on one machine would share it. Nothing here uses it.
control_socket_disable = True


# The API throttle's counters in a private folder in memory, shared by this server's workers
# (casualty_tracker/serving.py): unless REDIS_URL or THROTTLE_CACHE_DIR says where they go.
def on_starting(server):
    from casualty_tracker.serving import throttle_in_memory

    if folder := throttle_in_memory():
        server.log.info("API throttle counters in %s", folder)


def on_exit(server):
    from casualty_tracker.serving import forget_throttle

    forget_throttle()
