"""Throwaway PostgreSQL and Redis servers for the test suite: free ports, private data dirs, stopped by pid.

`python -m tests.harness.servers -- pytest ...` starts both, exports DATABASE_URL and REDIS_URL (and
where the Redis server can be restarted from, for tests that take it down), runs the command and stops
both servers whatever the command's outcome.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; the Debian package creates the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class PostgresServer:
    def __init__(self, workdir: Path) -> None:
        if not PG_BIN_CANDIDATES:
            raise SystemExit("PostgreSQL server binaries not found: run `make test`, which installs them.")
        self.bin = PG_BIN_CANDIDATES[0]
        self.datadir = workdir / "pgdata"
        self.sockdir = workdir / "pgsock"
        self.port = free_port()

    def start(self) -> str:
        for folder in (self.datadir, self.sockdir):
            folder.mkdir(parents=True)
            if os.geteuid() == 0:
                shutil.chown(folder, user="postgres")
        if os.geteuid() == 0:
            shutil.chown(self.datadir.parent, user="postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.datadir),
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "-U",
                    "postgres",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.datadir),
                    "-l",
                    str(self.datadir / "log"),
                    "-o",
                    options,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "psql"),
                    "-h",
                    str(self.sockdir),
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "-q",
                    "-c",
                    "CREATE ROLE portal LOGIN PASSWORD 'portal' CREATEDB",
                    "-c",
                    "CREATE DATABASE portal OWNER portal",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return f"postgres://portal:portal@127.0.0.1:{self.port}/portal"

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise SystemExit("redis-server not found: run `make test`, which installs it.")
        self.port = free_port()
        self.pidfile = workdir / "redis.pid"
        self.workdir = workdir

    @property
    def command(self) -> list[str]:
        return [
            str(self.binary),
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--pidfile",
            str(self.pidfile),
            "--dir",
            str(self.workdir),
        ]

    def start(self) -> str:
        subprocess.run(self.command, check=True, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return f"redis://127.0.0.1:{self.port}/0"
            except OSError:
                time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(self.pidfile.read_text().strip()), signal.SIGTERM)


def main(command: list[str]) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="portal-test-"))
    postgres = PostgresServer(workdir)
    redis = RedisServer(workdir)
    env = dict(os.environ)
    try:
        env["DATABASE_URL"] = postgres.start()
        env["REDIS_URL"] = redis.start()
        # Tests that take Redis down start it again with exactly this command line.
        env["PORTAL_TEST_REDIS_COMMAND"] = " ".join(redis.command)
        env["PORTAL_TEST_REDIS_PIDFILE"] = str(redis.pidfile)
        env["PORTAL_TEST_MEDIA"] = str(workdir / "media")
        env.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        print(f"test servers: {env['DATABASE_URL']} {env['REDIS_URL']}", flush=True)
        return subprocess.call(command, env=env)
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    sys.exit(main(args or [sys.executable, "-m", "pytest"]))
