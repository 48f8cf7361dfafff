"""The production stack as a city's IT runs it, started from the project's own files.

nginx (Debian's package) terminates TLS with a self-signed certificate made on the fly and
balances over ``nodes`` gunicorn instances in production mode (``APP_ENV=production``,
``TRUSTED_PROXY_HOPS=1``), which share one database and one Redis (limiter storage, and the
queue of the background-job worker ``flask jobs worker`` started next to them). Used by
``tests/production`` (``make test-production``) and by ``bench/cluster.py``.

Everything it starts it stops again, also when a test fails (:meth:`Stack.stop`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess  # noqa: S404 - starts the project's own servers on loopback
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "familienkompass.conf.template"
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Wait until ``port`` accepts connections; fail early if ``process`` died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} ended with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"port {port} did not open within {seconds} s")


@dataclass
class Stack:
    """nginx → N gunicorn nodes → one database + one Redis, all on 127.0.0.1."""

    folder: Path
    database_url: str
    nodes: int = 2
    workers: int = 2
    https_port: int = 0
    redis_port: int = 0
    node_ports: list[int] = field(default_factory=list)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    # One extra TLS port per node in nginx (same server block, upstream of that node only),
    # so that a client can address one node through TLS, e.g. to save a draft on node A and
    # resume it on node B (the app's cookies are ``Secure``: plain HTTP would drop them).
    direct_ports: bool = False
    node_https_ports: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def node_url(self, index: int) -> str:
        """The plain-HTTP address of one node, bypassing nginx (for node-specific checks)."""
        return f"http://127.0.0.1:{self.node_ports[index]}"

    def node_tls_url(self, index: int) -> str:
        """The HTTPS address of one node through nginx (needs ``direct_ports=True``)."""
        return f"https://127.0.0.1:{self.node_https_ports[index]}"

    @property
    def certificate(self) -> Path:
        """The self-signed certificate nginx serves (a client's CA bundle for the stack)."""
        return self.folder / "cert.pem"

    # -- environment -------------------------------------------------------------------
    def app_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PYTEST"))}
        env.update(
            APP_ENV="production",
            SECRET_KEY=self.secret_key,
            DATABASE_URL=self.database_url,
            RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{self.redis_port}/0",
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/1",  # background jobs (app.jobs)
            TRUSTED_PROXY_HOPS="1",
            WEB_CONCURRENCY=str(self.workers),
            DASHBOARD_WARM_UP="0",
        )
        return env

    def flask(self, *args: str) -> None:
        """Run a ``flask`` command of the app against the stack's database."""
        subprocess.run(  # noqa: S603 - fixed arguments
            [str(VENV_BIN / "flask"), "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.app_env(),
            check=True,
            capture_output=True,
        )

    # -- start -------------------------------------------------------------------------
    def start(self) -> Stack:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._start_redis()
            self.node_ports = [free_port() for _ in range(self.nodes)]
            for index in range(self.nodes):
                self.start_node(index)
            self.start_worker()
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_redis(self) -> None:
        self.redis_port = free_port()
        process = self._spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
        )
        wait_for_port(self.redis_port, process)

    def start_node(self, index: int) -> None:
        """Start (or restart) gunicorn node ``index`` on its port."""
        port = self.node_ports[index]
        argv = [
            str(VENV_BIN / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ]
        process = self._spawn(f"node{index}", argv, env=self.app_env())
        wait_for_port(port, process, seconds=60)

    def start_worker(self) -> None:
        """Start the background-job worker (``flask jobs worker``, deploy's worker unit)."""
        argv = [str(VENV_BIN / "flask"), "--app", "wsgi", "jobs", "worker"]
        self._spawn("worker", argv, env=self.app_env())

    def kill_node(self, index: int) -> None:
        """Kill node ``index`` hard (SIGKILL to its whole process group), as a crash would."""
        process = self.processes.pop(f"node{index}")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def _start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        cert, key = self.folder / "cert.pem", self.folder / "key.pem"
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
        self.https_port = free_port()
        upstream = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;"
            for port in self.node_ports
        )
        config = Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(
            PREFIX=str(self.folder),
            UPSTREAM_SERVERS=upstream,
            HTTPS_PORT=str(self.https_port),
            SERVER_NAME="127.0.0.1",
            CERT=str(cert),
            KEY=str(key),
        )
        if self.direct_ports:
            config = self._with_direct_ports(config)
        conf = self.folder / "nginx.conf"
        conf.write_text(config, encoding="utf-8")
        process = self._spawn(
            "nginx", [nginx, "-p", str(self.folder), "-c", str(conf), "-g", "daemon off;"]
        )
        wait_for_port(self.https_port, process)
        for port in self.node_https_ports:
            wait_for_port(port, process)

    def _with_direct_ports(self, config: str) -> str:
        """Add a copy of the template's server block per node, proxying to that node only."""
        start = config.index("    server {")
        end = config.rindex("}")  # the end of the http block
        block = config[start:end]
        listen = f"listen 127.0.0.1:{self.https_port} ssl;"
        if listen not in block or "proxy_pass http://familienkompass;" not in block:
            raise RuntimeError("the nginx template changed: cannot add per-node ports")
        self.node_https_ports = [free_port() for _ in self.node_ports]
        extra = []
        pairs = zip(self.node_ports, self.node_https_ports, strict=True)
        for index, (port, https) in enumerate(pairs):
            extra.append(
                f"    upstream familienkompass_node{index} {{\n"
                f"        server 127.0.0.1:{port};\n        keepalive 4;\n    }}\n\n"
                + block.replace(listen, f"listen 127.0.0.1:{https} ssl;").replace(
                    "proxy_pass http://familienkompass;",
                    f"proxy_pass http://familienkompass_node{index};",
                )
            )
        return config[:end] + "".join(extra) + config[end:]

    def _spawn(
        self, name: str, argv: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        """Start ``argv`` in its own process group, its output appended to ``<name>.log``."""
        with (self.folder / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 - fixed arguments
                argv,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    # -- stop --------------------------------------------------------------------------
    def stop(self) -> None:
        for name, process in list(self.processes.items()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)
            del self.processes[name]

    def logs(self) -> str:
        """Everything the servers wrote (for privacy assertions and failure reports)."""
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')}"
            for p in sorted(self.folder.glob("*.log"))
        )
