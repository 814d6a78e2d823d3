"""The embedded FalkorDB server: start, reuse, stop, persistence, stale files, where it listens."""

from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path

import pytest
import redis
from click.testing import CliRunner
from redis.backoff import NoBackoff
from redis.retry import Retry

from edukg.cli import main
from edukg.graph import embedded
from edukg.graph.load_falkordb import FalkorStore
from edukg.graph.store import Statement, count_elements


def client(info: embedded.ServerInfo, password: str | None = None) -> redis.Redis:
    """A plain redis client of the server, without retries (a refused password fails at once)."""
    no_retry = Retry(NoBackoff(), 0)
    if info.socket:
        return redis.Redis(unix_socket_path=info.socket, password=password, retry=no_retry)
    return redis.Redis(host=info.host, port=info.port, password=password, retry=no_retry)


def test_start_listens_on_a_private_unix_socket_only(tmp_path: Path) -> None:
    info = embedded.start(tmp_path)
    try:
        assert info.socket == str(tmp_path.resolve() / "db" / "falkordb.sock")
        assert stat.S_IMODE(os.stat(info.socket).st_mode) == 0o700
        connection = client(info)
        assert connection.config_get("port") == {"port": "0"}
        assert connection.config_get("appendonly") == {"appendonly": "yes"}
        assert embedded.start(tmp_path).pid == info.pid  # reused, not a second server
        assert embedded.status(tmp_path) == info
        connection.close()
    finally:
        assert embedded.stop(tmp_path) == info
    assert embedded.status(tmp_path) is None
    assert not Path(info.socket).exists()
    assert embedded.stop(tmp_path) is None


def test_data_survives_a_restart(tmp_path: Path) -> None:
    first = embedded.start(tmp_path)
    try:
        store = FalkorStore.connect(first.url, graph="edukg")
        store.write(Statement("CREATE (:`Bureau` {id: $id})", {"id": "bureau:1"}))
        store.close()
        embedded.stop(tmp_path)
        second = embedded.start(tmp_path)
        assert second.pid != first.pid
        store = FalkorStore.connect(second.url, graph="edukg")
        assert count_elements(store) == (1, 0)
        store.close()
    finally:
        embedded.stop(tmp_path)
    assert (tmp_path / "db" / "dump.rdb").exists()


def test_stale_pid_and_socket_are_cleaned(tmp_path: Path) -> None:
    crashed = embedded.start(tmp_path)
    os.kill(crashed.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while embedded.status(tmp_path) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert embedded.status(tmp_path) is None
    assert not (tmp_path / "db" / "server.json").exists()
    assert not Path(crashed.socket).exists()
    try:
        restarted = embedded.start(tmp_path)
        assert restarted.pid != crashed.pid
        assert client(restarted).ping()
    finally:
        embedded.stop(tmp_path)


def test_unrecorded_socket_is_cleaned_when_dead_and_found_again_when_alive(tmp_path: Path) -> None:
    import socket

    leftover = tmp_path / "db" / embedded.SOCKET_FILE
    leftover.parent.mkdir()
    with socket.socket(socket.AF_UNIX) as dead:
        dead.bind(str(leftover))  # a socket file nobody listens on, as a crash leaves it
    assert embedded.status(tmp_path) is None and not leftover.exists()
    info = embedded.start(tmp_path)
    state = tmp_path / "db" / embedded.STATE_FILE
    recorded = state.read_text()
    try:
        state.unlink()
        assert embedded.start(tmp_path) == info  # its lock and pid file tell it is still there
        assert state.read_text() == recorded
    finally:
        embedded.stop(tmp_path)


def test_long_folder_falls_back_to_a_short_socket(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    info = embedded.start(deep)
    try:
        assert len(os.fsencode(info.socket)) <= embedded.MAX_SOCKET_PATH
        assert not info.socket.startswith(str(deep))
        assert client(info).ping()
    finally:
        embedded.stop(deep)
    assert not Path(info.socket).parent.exists()


def test_no_short_socket_falls_back_to_loopback_tcp(socket_paths_too_long: Path) -> None:
    deep = socket_paths_too_long
    info = embedded.start(deep)
    try:
        assert (info.socket, info.host) == ("", "127.0.0.1")
        assert "127.0.0.1:" in info.where
        assert client(info, info.password).config_get("bind") == {"bind": "127.0.0.1"}
    finally:
        embedded.stop(deep)


def test_password_lives_in_a_private_config_file_not_argv(tmp_path: Path) -> None:
    info = embedded.start(tmp_path, password="pw-Not-In-Argv")
    try:
        assert b"pw-Not-In-Argv" not in Path(f"/proc/{info.pid}/cmdline").read_bytes()
        config = tmp_path / "db" / embedded.CONFIG_FILE
        assert stat.S_IMODE(config.stat().st_mode) == 0o600
        with pytest.raises(redis.AuthenticationError):
            client(info).ping()
        assert client(info, "pw-Not-In-Argv").ping()
    finally:
        embedded.stop(tmp_path)


def test_config_loads_the_module_by_absolute_path(tmp_path: Path) -> None:
    text = embedded.to_config(tmp_path, tmp_path / "s.sock", module_args=("THREAD_COUNT", "2"))
    module_line = next(line for line in text.splitlines() if line.startswith("loadmodule"))
    module = module_line.split('"')[1]
    assert Path(module).is_absolute() and Path(module).exists()
    assert module_line.endswith('"THREAD_COUNT" "2"')
    assert "port 0" in text.splitlines()


def test_db_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    out = str(tmp_path / "out")
    try:
        started = runner.invoke(main, ["db", "start", "--out", out])
        assert started.exit_code == 0, started.output
        assert "unix socket" in started.output
        status = runner.invoke(main, ["db", "status", "--out", out])
        assert status.output.startswith("running: embedded FalkorDB (pid ")
    finally:
        stopped = runner.invoke(main, ["db", "stop", "--out", out])
    assert stopped.output.startswith("stopped: ")
    assert runner.invoke(main, ["db", "status", "--out", out]).output == "not running\n"
