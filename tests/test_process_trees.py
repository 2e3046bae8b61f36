"""Issue 14, clean process trees and a view server that stays on this machine.

Each test runs the real command in a child process and kills the real processes: a worker of
``brink run --jobs 2``, the parent of its workers, ``brink view`` by its process id."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from brink.experiments.ensemble.output import read_table
from brink.viz.commands import server_command
from brink.viz.harness import free_port, serve

SCENARIO = "classics/fearon_ultimatum"


def start(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "brink", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def brink_script(*args: str, **kwargs) -> subprocess.Popen:
    """The installed ``brink`` command, as a user runs it (``python -m brink`` would itself put
    the current directory on the module path, before Brink could do anything about it)."""
    script = Path(sys.executable).with_name("brink")
    return subprocess.Popen(
        [str(script), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
    )


def stop(process: subprocess.Popen) -> None:
    """Kill a child a failed test left running, and collect it."""
    if process.poll() is None:
        process.kill()
        process.communicate(timeout=60)
    for stream in (process.stdout, process.stderr):
        if stream is not None and not stream.closed:
            stream.close()


def workers_of(process: subprocess.Popen, count: int, timeout: float = 300) -> list[int]:
    """The pids of the pool's worker processes once ``count`` of them run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for child in psutil.Process(process.pid).children():
            with contextlib.suppress(psutil.NoSuchProcess):  # a short-lived child (git)
                if "spawn_main" in " ".join(child.cmdline()):
                    found.append(child.pid)
        if len(found) >= count:
            return found
        assert process.poll() is None
        time.sleep(0.05)
    raise AssertionError("the workers did not start")


def gone(pid: int, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_a_killed_worker_is_reported_in_one_line_and_its_runs_run_again(tmp_path):
    common = ["run", SCENARIO, "--runs", "300", "--seed", "11", "--no-progress"]
    reference = subprocess.run(
        [sys.executable, "-m", "brink", *common, "--out", str(tmp_path / "ref")],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert reference.returncode == 0
    run = start(*common, "--jobs", "2", "--out", str(tmp_path / "par"))
    try:
        victim = workers_of(run, 1)[0]
        os.kill(victim, signal.SIGKILL)
        _, err = run.communicate(timeout=600)
    finally:
        stop(run)
    assert run.returncode == 0, err
    lines = [line for line in err.splitlines() if "died" in line]
    assert len(lines) == 1 and "a worker process died; running runs" in lines[0]
    assert "Traceback" not in err
    for table in ("runs", "events"):
        assert read_table(tmp_path / "par", table).equals(read_table(tmp_path / "ref", table))


@pytest.mark.slow
def test_the_workers_die_with_a_killed_parent(tmp_path):
    run = subprocess.Popen(
        [sys.executable, "-m", "brink", "run", SCENARIO, "--runs", "200000", "--jobs", "2",
         "--no-progress", "--out", str(tmp_path / "r")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        workers = workers_of(run, 2)
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
    assert all(gone(pid) for pid in workers)
    assert not (tmp_path / "r").exists()  # nothing under the real name
    assert len(list(tmp_path.glob(".r.partial-*"))) == 1  # only the dead run's staging folder
    done = subprocess.run(
        [sys.executable, "-m", "brink", "run", SCENARIO, "--runs", "4", "--no-progress",
         "--out", str(tmp_path / "r")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["r"]  # the next run cleared it away


def answers(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as reply:
        return reply.status == 200
    return False


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL])
def test_the_view_server_ends_with_brink_view(signum, tmp_path):
    port = free_port()
    view = brink_script("view", SCENARIO, "--port", str(port), cwd=tmp_path)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 300
        while not answers(url):
            assert time.monotonic() < deadline and view.poll() is None
            time.sleep(0.3)
        servers = [child.pid for child in psutil.Process(view.pid).children(recursive=True)]
        assert servers
        view.send_signal(signum)
        view.communicate(timeout=60)
    finally:
        stop(view)
    assert all(gone(pid) for pid in servers)
    assert not answers(url)


@pytest.mark.slow
def test_a_solara_module_in_the_current_directory_cannot_run(tmp_path):
    marker = tmp_path / "marker"
    (tmp_path / "solara.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    (tmp_path / "brink.viz.app").write_text("raise SystemExit('shadowed')\n")
    port = free_port()
    view = brink_script("view", SCENARIO, "--port", str(port), cwd=tmp_path)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 300
        while not answers(url):
            assert time.monotonic() < deadline and view.poll() is None
            time.sleep(0.3)
    finally:
        view.send_signal(signal.SIGTERM)
        view.communicate(timeout=60)
    assert not marker.exists()
    assert server_command("127.0.0.1", port)[1] == "-P"


# Records, from inside the server, every name lookup and connection that is not to this
# machine. Put on the path as sitecustomize (PYTHONPATH is honoured under -P; -I would not).
AUDIT = """\
import ipaddress, json, os, sys

LOG = os.environ["BRINK_NET_LOG"]
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def local(host):
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host in LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def hook(event, args):
    outside = None
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"):
        if not local(args[0]):
            outside = args[0]
    elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1] if len(args) > 1 else None
        if isinstance(address, tuple) and not local(address[0]):
            outside = address[0]
    if outside is not None:
        with open(LOG, "a") as log:
            log.write(json.dumps([event, repr(outside)]) + "\\n")


sys.addaudithook(hook)
"""

PROBES = [
    "/",
    "/_solara/cdn/left-pad@1.3.0/index.js",
    "/_solara/cdn/vuetify@2.6.10/dist/vuetify.min.css",
    "/_solara/cdn/@widgetti/solara-vuetify-app@10.0.0/dist/main.js",
    "/static/nbextensions/unknown/extension.js",
    "/_solara/static/not-there.js",
    "/resourcez?cdn=1",
    "/jupyter/api/kernels",
    "/http://example.com/",
    "/_solara/cdn/https://example.com/x.js",
]


@pytest.mark.slow
def test_no_lookup_or_connection_leaves_the_machine_for_any_url(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(AUDIT)
    log = tmp_path / "net.log"
    environment = {"PYTHONPATH": str(tmp_path), "BRINK_NET_LOG": str(log)}
    with serve(environment) as (url,):
        for path in PROBES:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url.rstrip("/") + path, timeout=30).read()
    outside = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    assert outside == []
    assert Path(tmp_path / "sitecustomize.py").exists()  # the hook was there to see them


@pytest.mark.slow
def test_the_audit_hook_would_see_a_lookup(tmp_path):
    """The check above is not vacuous: the same hook records a lookup of a public name."""
    (tmp_path / "sitecustomize.py").write_text(AUDIT)
    log = tmp_path / "net.log"
    code = textwrap.dedent("""
        import contextlib, socket
        with contextlib.suppress(OSError):
            socket.getaddrinfo("cdn.jsdelivr.net", 443)
    """)
    subprocess.run(
        [sys.executable, "-P", "-c", code],
        env={**os.environ, "PYTHONPATH": str(tmp_path), "BRINK_NET_LOG": str(log)},
        check=True, timeout=60,
    )  # fmt: skip
    assert "cdn.jsdelivr.net" in log.read_text()
