"""The embedded store restarts whatever it holds, is one server per data folder, and is private.

Issue 21, items 1 and 2: a store holding a mid-size graph could not restart (its
append-only file was replayed write by write against a 15 s start limit, and a server
still loading was taken for a dead one, so a second server started on the same files);
a socket folder under /tmp that another user made first was accepted; loopback TCP had
no password; the data files were readable by every user. The time to restart a store
of 10,000 reports is a bench figure (bench/bench_load.py), not asserted here.
"""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from edukg.graph import embedded
from edukg.graph.load_falkordb import FalkorStore
from edukg.graph.store import Statement


def writes(info: embedded.ServerInfo, count: int) -> None:
    """``count`` single-node writes, each its own command in the append-only file."""
    client = redis.Redis.from_url(info.url.replace("falkor://", "redis://"))
    pipe = client.pipeline(transaction=False)
    for index in range(count):
        pipe.execute_command("GRAPH.QUERY", "edukg", f"CREATE (:Bureau {{id: 'bureau:{index}'}})")
    pipe.execute()
    client.close()


def nodes(info: embedded.ServerInfo) -> int:
    store = FalkorStore.connect(info.url, graph="edukg")
    try:
        return store.read(Statement("MATCH (n) RETURN count(n) AS n"))[0]["n"]
    finally:
        store.close()


def servers_on(directory: Path) -> list[int]:
    """The pids of every redis-server working in ``directory`` (the server sets its own title,
    so its config file is not in its command line; it runs in its data folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if (
                entry.name.isdigit()
                and (entry / "cwd").resolve() == directory
                and b"redis-server" in (entry / "cmdline").read_bytes()
            ):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def killed_mid_load(out: Path, count: int) -> embedded.ServerInfo:
    """A store killed -9 after ``count`` writes, its append-only file never compacted."""
    info = embedded.start(out)
    writes(info, count)
    client = redis.Redis.from_url(info.url.replace("falkor://", "redis://"))
    client.config_set("appendfsync", "always")  # what was written is on disk before the kill
    client.execute_command("GRAPH.QUERY", "edukg", "CREATE (:Bureau {id: 'last'})")
    client.close()
    os.kill(info.pid, signal.SIGKILL)
    while embedded._alive(info.pid):
        time.sleep(0.05)
    return info


@pytest.fixture()
def out(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "out"
    embedded.stop(tmp_path / "out")
    for pid in servers_on(embedded.data_dir(tmp_path / "out")):  # what a failing case left
        os.kill(pid, signal.SIGKILL)


def test_stop_compacts_the_append_only_file(out: Path) -> None:
    info = embedded.start(out)
    writes(info, 2000)
    embedded.stop(out)
    aof = embedded.data_dir(out) / "appendonlydir"
    increments = {path.name: path.stat().st_size for path in aof.glob("*.incr.aof")}
    assert set(increments.values()) == {0}, increments  # nothing left to replay write by write
    assert nodes(embedded.start(out)) == 2000


@pytest.mark.slow
def test_start_waits_while_the_server_loads(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Replaying 30,000 writes takes seconds on any machine, far more than this start limit:
    # the limit is for a server that neither answers nor says it is loading.
    killed_mid_load(out, 30_000)
    monkeypatch.setattr(embedded, "START_TIMEOUT", 1.0)
    info = embedded.start(out)
    assert servers_on(embedded.data_dir(out)) == [info.pid]
    assert nodes(info) == 30_001


@pytest.mark.slow
def test_a_loading_server_is_never_taken_for_dead(out: Path) -> None:
    """While a restarted server replays its file, status, a second start and stop all see it."""
    killed_mid_load(out, 30_000)
    directory = embedded.data_dir(out)
    child = subprocess.Popen(
        [sys.executable, "-m", "edukg.cli", "db", "start", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not servers_on(directory) or embedded.status(out) is None:
        assert child.poll() is None, child.communicate()
        time.sleep(0.02)
    loading = embedded.status(out)
    assert loading is not None
    assert embedded.start(out).pid == loading.pid  # waits for it, never a second server
    assert Path(loading.socket).exists()
    assert servers_on(directory) == [loading.pid]
    assert child.wait() == 0
    assert "is loading its data" in child.communicate()[1]  # told why it waits
    assert nodes(loading) == 30_001


def test_a_server_whose_state_file_is_gone_is_found_again(out: Path) -> None:
    info = embedded.start(out)
    (embedded.data_dir(out) / embedded.STATE_FILE).unlink()
    assert embedded.status(out) == info
    assert embedded.start(out) == info
    assert servers_on(embedded.data_dir(out)) == [info.pid]
    assert embedded.stop(out) == info
    assert servers_on(embedded.data_dir(out)) == []


def test_short_socket_folder_is_made_fresh_not_taken_over(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    # A folder open to all at the name the store used to derive from the data folder's path,
    # as another user could make it first.
    digest = hashlib.sha256(str(embedded.data_dir(deep)).encode()).hexdigest()[:12]
    planted = Path(tempfile.gettempdir()) / f"edukg-{digest}"
    planted.mkdir(mode=0o777)
    planted.chmod(0o777)
    try:
        info = embedded.start(deep)
        try:
            folder = Path(info.socket).parent
            assert folder != planted and folder.parent == Path(tempfile.gettempdir())
            assert folder.stat().st_uid == os.geteuid()
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        finally:
            embedded.stop(deep)
    finally:
        for leftover in planted.iterdir():
            leftover.unlink()
        planted.rmdir()


def test_loopback_tcp_requires_a_generated_password(socket_paths_too_long: Path) -> None:
    deep = socket_paths_too_long
    info = embedded.start(deep)
    try:
        assert info.host == "127.0.0.1"
        stranger = redis.Redis(host=info.host, port=info.port, retry=Retry(NoBackoff(), 0))
        with pytest.raises(redis.AuthenticationError):
            stranger.ping()
        assert len(info.password) >= 32 and info.password not in info.where
        FalkorStore.connect(info.url, graph="edukg").close()  # edukg's clients use the URL it records
    finally:
        embedded.stop(deep)


def test_data_files_are_private_to_their_owner(out: Path) -> None:
    info = embedded.start(out)
    writes(info, 10)
    embedded.stop(out)
    directory = embedded.data_dir(out)
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for path in directory.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path.name} is {mode:o}"
