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
# Sync workers: requests are CPU-bound Python, and bench/ measured 2 sync workers at ~2.4x the
# throughput of gthread×4 on 2 cores (see bench/common.py).
"$BIN/gunicorn" config.wsgi --config gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers "${WORKERS:-2}" \
  --access-logfile - --graceful-timeout 5 --timeout 120
