"""python manage.py runportal — what `make run` serves: the web server, a Celery worker and Celery beat.

One Ctrl-C stops all three and whatever they started (the worker's pool, the server's reloader). Each runs
in a process group of its own, so the terminal's Ctrl-C reaches this supervisor only, which then asks each
of them to stop (SIGTERM: the worker finishes its tasks and stops its pool), waits for them and kills what is
left of their groups; if the supervisor itself is killed, Linux sends its children SIGTERM (the parent-death
signal). A worker or beat that exits on its own is started
again after a pause that grows while it keeps failing; when the web server exits, everything stops.

A second runportal on the same data folder refuses to start: two beats would send every reminder twice.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

# Time the worker gets to finish the tasks it runs (a send takes a second or two) before it is killed.
STOP_TIMEOUT_SECONDS = 15
# A child that ran this long before exiting is restarted at once; one that keeps failing waits up to a minute.
HEALTHY_RUN_SECONDS = 60
MAX_RESTART_DELAY_SECONDS = 60
POLL_SECONDS = 0.2
PR_SET_PDEATHSIG = 1
LOCK_FILE_NAME = "runportal.lock"


@dataclass
class Child:
    label: str
    command: list[str]
    restart: bool
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def _own_group_dying_with(parent_pid: int) -> Callable[[], None]:
    """What a child runs between fork and exec: a process group of its own, and SIGTERM when the supervisor dies.
    libc is loaded here, in the parent: the child only calls into it."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None

    def prepare() -> None:
        os.setpgid(0, 0)
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
            if os.getppid() != parent_pid:  # the supervisor died before prctl took effect
                os._exit(1)

    return prepare


def _signal_group(child: Child, signum: int) -> None:
    if child.process is None:
        return
    # The group outlives its leader while the worker's pool processes or the server's reloader child remain.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.process.pid, signum)


def _accepts_connections(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def _only_instance(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE_NAME
    lock: IO[str] = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "?"
            raise CommandError(
                _("另一个 make run（runportal，进程 %(pid)s）已在使用 %(folder)s：先在它的窗口按 Ctrl-C 停止它。")
                % {"pid": holder, "folder": data_dir}
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        yield
    finally:
        lock.close()


class Command(BaseCommand):
    help = "Runs the web server, a Celery worker and Celery beat together; Ctrl-C stops all three."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="host:port of the web server")
        parser.add_argument("--concurrency", type=int, default=2, help="processes of the Celery worker's pool")
        parser.add_argument("--loglevel", default="WARNING", help="log level of the worker and beat")

    def handle(self, *args: Any, **options: Any) -> None:
        host, _sep, port_text = str(options["addrport"]).rpartition(":")
        if not host or not port_text.isdigit():
            raise CommandError(_("地址应写作 主机：端口，例如 127.0.0.1:8000。"))
        self.host, self.port = host, int(port_text)
        self.stop_signal: int | None = None
        celery = [sys.executable, "-m", "celery", "--quiet", "-A", "portal"]
        self.children = [
            Child(_("网站"), [sys.executable, "manage.py", "runserver", f"{host}:{port_text}"], restart=False),
            Child(
                _("后台任务进程"),
                [*celery, "worker", f"--loglevel={options['loglevel']}", f"--concurrency={options['concurrency']}"],
                restart=True,
            ),
            Child(_("定时任务"), [*celery, "beat", f"--loglevel={options['loglevel']}"], restart=True),
        ]
        with _only_instance(Path(settings.DATA_DIR)):
            exit_code = self._supervise()
        if exit_code:
            raise SystemExit(exit_code)

    def _supervise(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_stop_signal)
        exit_code = 0
        announced = False
        try:
            for child in self.children:
                self._start(child)
            while self.stop_signal is None:
                web_exit = self._watch()
                if web_exit is not None:
                    exit_code = web_exit
                    break
                if not announced and _accepts_connections(self._connect_host(), self.port):
                    self._announce()
                    announced = True
                time.sleep(POLL_SECONDS)
        finally:
            self._stop_all()
        return exit_code

    def _on_stop_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stop_signal is not None:
            # A second Ctrl-C while stopping: no more waiting.
            for child in self.children:
                _signal_group(child, signal.SIGKILL)
        self.stop_signal = signum

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(
            child.command,
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,  # a background process group that reads the terminal would be stopped
            preexec_fn=_own_group_dying_with(os.getpid()),
        )
        child.started_at = time.monotonic()
        child.restart_at = None

    def _watch(self) -> int | None:
        """Restarts the worker or beat when due; returns the web server's exit code once it has exited."""
        now = time.monotonic()
        for child in self.children:
            if child.process is None or child.restart_at is not None:
                if child.restart_at is not None and now >= child.restart_at:
                    self._start(child)
                continue
            code = child.process.poll()
            if code is None:
                continue
            _signal_group(child, signal.SIGKILL)  # what it left behind, e.g. pool processes
            if not child.restart:
                self.stderr.write(
                    _("%(name)s已退出（退出码 %(code)s），正在停止其他进程。") % {"name": child.label, "code": code}
                )
                return code or 1
            child.failures = 0 if now - child.started_at >= HEALTHY_RUN_SECONDS else child.failures + 1
            delay = min(MAX_RESTART_DELAY_SECONDS, 2**child.failures - 1)
            self.stderr.write(
                _("%(name)s意外退出（退出码 %(code)s），%(delay)s 秒后重新启动。")
                % {"name": child.label, "code": code, "delay": delay}
            )
            child.restart_at = now + delay
        return None

    def _stop_all(self) -> None:
        running = [child for child in self.children if child.running]
        for child in running:
            # The leader only: the worker stops its own pool, and pool processes signalled too would be lost tasks.
            assert child.process is not None
            child.process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in running:
            assert child.process is not None
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        for child in self.children:
            _signal_group(child, signal.SIGKILL)
            if child.process is not None:
                child.process.wait()

    def _connect_host(self) -> str:
        # A server listening on every interface is reached, and announced, on this machine's loopback.
        return "127.0.0.1" if self.host in ("0.0.0.0", "::", "[::]") else self.host.strip("[]")  # noqa: S104

    def _announce(self) -> None:
        site = f"http://{self._connect_host()}:{self.port}"
        rows = [
            (_("门户首页"), f"{site}/"),
            (_("工作人员登录"), f"{site}/accounts/login/"),
            (_("会员手机登录"), f"{site}/accounts/phone/"),
            (_("管理后台"), f"{site}/admin/"),
        ]
        lines = ["", _("同心荟门户已启动，请在浏览器中打开：")]
        lines += [f"  {url}  {label}" for label, url in rows]
        lines += [
            _("会员的登录验证码由后台任务进程“发送”：在本窗口的日志里找“SMS to”下面那一行。"),
            _("按 Ctrl-C 停止网站、后台任务进程和定时任务。"),
            "",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
