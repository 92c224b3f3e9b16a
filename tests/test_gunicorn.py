"""Two Banshi servers started by one user (``make run`` beside a benchmark, two worktrees) must not
share gunicorn's per-user control socket: the one that stops first would delete it for both."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _serve(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    # The same configuration scripts/serve.sh and bench/common.py pass.
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_two_servers_of_one_user_open_no_shared_control_socket(tmp_path: Any) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(runtime)}
    ports = [_free_port(), _free_port()]
    servers = [_serve(port, env) for port in ports]
    try:
        deadline = time.monotonic() + 60
        while not all(_listening(port) for port in ports):
            assert all(s.poll() is None for s in servers), "gunicorn 启动失败"
            assert time.monotonic() < deadline, "gunicorn 未在 60 秒内开始监听"
            time.sleep(0.2)
        time.sleep(0.5)  # the arbiter opens the control socket just after binding
        folders = [runtime, tmp_path / ".gunicorn"]
        sockets = [f.name for d in folders if d.exists() for f in d.iterdir()]
        assert sockets == []
        servers[1].terminate()
        servers[1].wait(timeout=90)
        assert _listening(ports[0])
    finally:
        for server in servers:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=90)


def test_every_launcher_uses_the_shared_configuration() -> None:
    assert "--config gunicorn.conf.py" in (ROOT / "scripts" / "serve.sh").read_text()
    assert '"gunicorn.conf.py"' in (ROOT / "bench" / "common.py").read_text()
