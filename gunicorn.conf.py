"""gunicorn settings every Banshi server shares (scripts/serve.sh, bench/, production).

gunicorn reads this file from the working directory by default; serve.sh and bench/ also pass it
with ``--config`` so it applies wherever they are started from.

gunicorn 25.1 added a control socket for ``gunicornc`` at one fixed path per user
($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl). Two instances started by the same
user (``make run`` beside a benchmark, two worktrees, blue/green on one host) share that path:
the second one replaces the first one's socket, and whichever stops first deletes it for both.
Banshi does not use ``gunicornc``, so no instance opens the socket.
"""

control_socket_disable = True
