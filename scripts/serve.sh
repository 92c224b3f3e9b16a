#!/usr/bin/env bash
# Serve Banshi the way `make run` does: the web app (gunicorn, 2 workers), the scheduler loop
# (deadlines, reminders, cadence reports, message re-sends) and the task worker (message
# delivery), stopped together with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
PORT="${PORT:-8000}"

trap 'trap - EXIT INT TERM; kill 0 2>/dev/null || true' EXIT INT TERM

"$BIN/python" manage.py run_scheduler --interval 60 &
"$BIN/python" manage.py db_worker --interval 2 --no-startup-delay --queue-name '*' &
"$BIN/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
  --access-logfile - --graceful-timeout 5
