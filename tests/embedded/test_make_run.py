"""`make run` is one supervisor (manage.py runportal) over the web server, a Celery worker and beat.

Ctrl-C used to stop the web server only: the worker and beat ran in process groups of their own and stayed, so
the next `make run` ran two beats. Now the terminal's Ctrl-C stops all of them; a second `make run` on the same
data refuses to start; a worker that dies is started again; and the portal's addresses are printed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.embedded.conftest import MAIN_DIR, embedded_env, stop_process_group, wait_for
from tests.harness.servers import free_port


def _descendants(pid: int) -> dict[int, str]:
    """Every process below pid, with its command line, read from /proc."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        # The command name in parentheses may hold spaces: the parent pid is the second field after it.
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        commands[int(entry.name)] = command
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found[child] = commands[child]
                frontier.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


class Output:
    """What a process prints, collected in the background so that its pipe never fills."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        self._thread = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)


@pytest.fixture
def runportal(embedded_data_dir):
    """runportal() starts `manage.py runportal` on a free port as `make run` does, in the terminal's place: in a
    process group of its own, so that killpg(SIGINT) is the Ctrl-C a terminal sends to its foreground group."""
    started: list[subprocess.Popen[str]] = []

    def start(port: int) -> tuple[subprocess.Popen[str], Output]:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runportal", f"127.0.0.1:{port}"],
            cwd=MAIN_DIR,
            env=embedded_env(embedded_data_dir, PYTHONUNBUFFERED="1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            process_group=0,
        )
        started.append(process)
        return process, Output(process)

    yield start
    for process in started:
        leftovers = _descendants(process.pid)
        stop_process_group(process)
        for pid in leftovers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _role(command: str) -> str | None:
    if "celery" in command and " worker" in command:
        return "worker"
    if "celery" in command and " beat" in command:
        return "beat"
    if "runserver" in command:
        return "web"
    return None


def _running(supervisor: subprocess.Popen[str]) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {}
    for pid, command in _descendants(supervisor.pid).items():
        role = _role(command)
        if role is not None and _alive(pid):
            roles.setdefault(role, []).append(pid)
    return roles


def _all_three_run(supervisor: subprocess.Popen[str]) -> dict[str, list[int]] | None:
    roles = _running(supervisor)
    return roles if {"web", "worker", "beat"} <= set(roles) else None


def test_ctrl_c_stops_the_web_server_the_worker_and_beat(runportal):
    port = free_port()
    supervisor, output = runportal(port)
    wait_for(lambda: f"http://127.0.0.1:{port}/accounts/login/" in output.text, timeout=180, process=supervisor)
    wait_for(lambda: _all_three_run(supervisor), timeout=60, process=supervisor)
    # The worker's pool processes and the server's reloader child are there too.
    everything = _descendants(supervisor.pid)
    assert len([command for command in everything.values() if _role(command) == "worker"]) >= 3

    os.killpg(supervisor.pid, signal.SIGINT)
    assert supervisor.wait(timeout=60) == 0
    still_running = {pid: command for pid, command in everything.items() if _alive(pid)}
    assert still_running == {}


def test_make_run_tells_where_to_open_the_portal(runportal):
    port = free_port()
    supervisor, output = runportal(port)
    wait_for(lambda: "Ctrl-C" in output.text, timeout=180, process=supervisor)
    announced = output.text
    for path, label in [("/", "门户首页"), ("/accounts/login/", "工作人员登录"), ("/accounts/phone/", "会员手机登录")]:
        assert re.search(rf"^  http://127\.0\.0\.1:{port}{re.escape(path)}  {label}$", announced, re.M), announced
    assert "SMS to" in announced


def test_a_second_make_run_refuses_to_start_a_second_beat(runportal):
    first, _output = runportal(free_port())
    wait_for(lambda: _all_three_run(first), timeout=180, process=first)
    second, second_output = runportal(free_port())
    assert second.wait(timeout=120) != 0
    assert "另一个 make run" in second_output.text
    assert len(_running(first)["beat"]) == 1


def test_a_worker_that_dies_is_started_again(runportal):
    supervisor, output = runportal(free_port())
    running = wait_for(lambda: _all_three_run(supervisor), timeout=180, process=supervisor)
    assert isinstance(running, dict)
    # The worker's main process leads its group; the others are its pool.
    [worker] = [pid for pid in running["worker"] if os.getpgid(pid) == pid]
    os.kill(worker, signal.SIGKILL)
    wait_for(lambda: "意外退出" in output.text, timeout=30, process=supervisor)
    wait_for(
        lambda: any(pid != worker for pid in _running(supervisor).get("worker", [])), timeout=60, process=supervisor
    )


def test_make_run_serves_through_the_supervisor():
    dry_run = subprocess.run(["make", "-n", "run"], cwd=MAIN_DIR, capture_output=True, text=True, check=True).stdout
    assert "manage.py runportal 127.0.0.1:8000" in dry_run
    assert "celery" not in dry_run
