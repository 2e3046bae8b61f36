"""``brink view`` (the crisis in the browser) and ``brink animate`` (a recorded run as a GIF).

``brink view`` starts Solara's server on this machine (127.0.0.1 unless told otherwise) in
production mode, with telemetry and the version check off and a CDN proxy that never fetches
from outside, so it needs and uses no network; the page is :mod:`brink.viz.app`, told what to
show by environment variables. The server cannot be shadowed by modules in the current
directory (``python -P``, its own empty working folder), and it ends with ``brink view``
(SIGTERM, SIGINT, SIGHUP, or brink killed).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from brink.errors import BrinkInputError, Location
from brink.experiments.run_options import add_rule_argument, read_rule_option
from brink.extras import require
from brink.lifeline import terminate_group
from brink.options import number, output_path

DEFAULT_PORT = 8765


def register(subparsers: argparse._SubParsersAction) -> None:
    view = subparsers.add_parser(
        "view",
        help="open a crisis in the browser (live model, or replay of a recorded run)",
        description=(
            "Serve the browser view of a scenario (step, play, sliders for every parameter) "
            "or, with --run, replay a directory written by 'brink run'. Works with no network."
        ),
    )
    view.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="a scenario file or a bundled scenario's name (default: black_sea_2022)",
    )
    view.add_argument("--run", dest="run_dir", metavar="DIR", help="replay a 'brink run' output")
    view.add_argument(
        "--params",
        dest="params_file",
        metavar="FILE",
        help="run the live model with a params file's values (e.g. brink fit's params.yaml)",
    )
    add_rule_argument(view)
    view.add_argument(
        "--play",
        metavar="STATE",
        help=(
            "play STATE yourself (a state code, e.g. RUS): the page stops at its decisions; "
            "finished games are written under ./brink-games"
        ),
    )
    view.add_argument("--host", default="127.0.0.1", help="address to serve on (127.0.0.1)")
    view.add_argument(
        "--port", type=number(whole=True), default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT})"
    )
    view.set_defaults(handler=view_command)

    animate = subparsers.add_parser(
        "animate",
        help="write a recorded run as an animated GIF (or MP4 where ffmpeg exists)",
        description="Draw the view's map and panels for each step of one run of a run directory.",
    )
    animate.add_argument("run_dir", metavar="DIR", help="a directory written by 'brink run'")
    animate.add_argument(
        "--out", required=True, type=output_path, metavar="FILE", help="FILE.gif or FILE.mp4"
    )
    animate.add_argument(
        "--run",
        type=number(whole=True),
        default=None,
        help="which run (default: the most eventful)",
    )
    animate.add_argument("--fps", type=number(), default=4.0, help="frames per second (4)")
    animate.add_argument("--force", action="store_true", help="replace FILE if it exists")
    animate.set_defaults(handler=animate_command)


def view_environment(args: argparse.Namespace) -> dict[str, str]:
    """The environment that tells :mod:`brink.viz.app` what to show; checks the inputs first.

    Raises:
        BrinkInputError: for a scenario that does not exist, a directory that is not a run
            directory, both at once, or a port outside 0–65535.
    """
    if not 0 <= args.port <= 65535:
        raise BrinkInputError(
            f"port {args.port} is outside 0–65535", Location(file="command line", key="--port")
        )
    check_address(args.host, args.port)
    from brink.viz import page_parts

    environment = {
        page_parts.ENV_SCENARIO: "",
        page_parts.ENV_RUN_DIR: "",
        page_parts.ENV_PARAMS: "",
        page_parts.ENV_RULES: "",
        page_parts.ENV_PLAY: "",
    }
    if getattr(args, "params_file", None):
        from brink.scenarios.params_file import load_params_file

        load_params_file(args.params_file)  # a located error now, not a blank page later
        environment[page_parts.ENV_PARAMS] = str(Path(args.params_file).resolve())
    if args.run_dir and args.scenario:
        raise BrinkInputError(
            "give a SCENARIO or --run DIR, not both (a replay reads its scenario from the run)",
            Location(file="command line", key="--run"),
        )
    if args.run_dir and getattr(args, "rules", None):
        raise BrinkInputError(
            "a replay shows the runs as recorded, with the rules they were run with; give "
            "--rule with a SCENARIO",
            Location(file="command line", key="--rule"),
        )
    play = getattr(args, "play", None)
    if args.run_dir and play:
        raise BrinkInputError(
            "--play runs a live game; a recorded run (--run) cannot be played",
            Location(file="command line", key="--play"),
        )
    if args.run_dir:
        replay(args.run_dir)  # every table and the scenario checked before serving
        environment[page_parts.ENV_RUN_DIR] = str(Path(args.run_dir).resolve())
    else:
        from brink.scenarios.loader import load_scenario, resolve_scenario_path

        name = args.scenario or page_parts.DEFAULT_SCENARIO
        path = resolve_scenario_path(name)
        scenario = load_scenario(path)  # a located error now, not a blank page later
        rules = read_rule_option(args, scenario)
        environment[page_parts.ENV_RULES] = "\n".join(str(rule) for rule in rules)
        environment[page_parts.ENV_SCENARIO] = str(path.resolve()) if Path(name).is_file() else name
        if play:
            environment.update(play_environment(play, scenario))
    return environment


def play_environment(state: str, scenario) -> dict[str, str]:
    """What tells the page that a person plays ``state`` (a located error for a state the
    scenario does not have), and where finished games are written (``./brink-games``)."""
    from brink.viz.page_parts import ENV_PLAY
    from brink.viz.play_page import ENV_GAMES

    code = state.strip().upper()
    if code not in scenario.states:
        raise BrinkInputError(
            f"no state '{state}' in scenario {scenario.name}; its states are "
            f"{', '.join(sorted(scenario.states))}",
            Location(file="command line", key="--play"),
        )
    return {ENV_PLAY: code, ENV_GAMES: str(Path.cwd() / "brink-games")}


def check_address(host: str, port: int) -> None:
    """Refuse a ``--host`` this machine cannot serve on, or a ``--port`` in use, before the
    server starts (it took 13 s to fail with the server's own words, naming no flag).

    Binds a socket to the address and lets it go; the server binds it again a moment later.
    """
    import errno
    import socket

    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
    except (OSError, UnicodeError) as error:
        raise BrinkInputError(
            f"cannot serve on {host!r}: not an address of this machine "
            f"({getattr(error, 'strerror', None) or error}); use 127.0.0.1, or an address it has",
            Location(file="command line", key="--host"),
        ) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise BrinkInputError(
                    f"port {port} is in use on {host} (another server?); choose another --port",
                    Location(file="command line", key="--port"),
                ) from None
            raise BrinkInputError(
                f"cannot serve on {host!r} ({error.strerror}); use 127.0.0.1, or an address "
                "of this machine",
                Location(file="command line", key="--host"),
            ) from None


def replay(run_dir: str):
    """The run folder ``run_dir`` read for a replay (:class:`brink.viz.viewruns.Recorded`);
    a located error for a folder with no step to show (its steps table gone or empty)."""
    from brink.viz.viewruns import Recorded

    recorded = Recorded.read(run_dir)
    if len(recorded.tables["steps"]) == 0:
        raise BrinkInputError(
            "holds no step to show (its steps table is missing or has no rows); write the run "
            "again with brink run",
            Location(file=str(run_dir)),
        )
    return recorded


def server_command(host: str, port: int) -> list[str]:
    """The ``solara run`` command line of the view (production mode, no version check).

    ``-P``: the current directory is not put on the module path, so a ``solara.py`` (or any
    module) there cannot stand in for the real one; the server also runs in an empty folder of
    its own (:func:`start_server`), so no ``.env`` or file named like the app is read either.
    """
    return [
        sys.executable,
        "-P",
        "-m",
        "solara",
        "run",
        "brink.viz.app",
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-check-version",
    ]


#: Where Solara's CDN proxy fetches an asset its local copy (``solara-assets``) lacks: by
#: default a public CDN. A ``file:`` address is one the proxy's HTTP client cannot fetch at all
#: (no lookup, no connection), so a request for an unknown asset is a 404 served from here.
#: The proxy itself stays on: it is what serves the installed assets to the browser (with it
#: off, Solara points the browser at the public CDN instead).
OFFLINE_CDN = "file:///brink-view-offline/"


def server_environment(extra: dict[str, str]) -> dict[str, str]:
    """This process's environment, ``extra``, and the settings that keep Solara off the network:
    no usage telemetry, and a CDN proxy that never fetches from outside (:data:`OFFLINE_CDN`)."""
    return {
        **os.environ,
        **extra,
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "SOLARA_ASSETS_PROXY": "True",
        "SOLARA_ASSETS_CDN": OFFLINE_CDN,
    }


def start_server(
    host: str, port: int, extra: dict[str, str], folder: str, **popen: Any
) -> subprocess.Popen:
    """Start the view's server in ``folder`` (an empty folder of its own), in a new process
    group, set to die with this process."""
    return subprocess.Popen(
        server_command(host, port),
        env=server_environment(extra),
        cwd=folder,
        start_new_session=True,  # its own group: stopping it stops what it started too
        preexec_fn=_die_with_brink,
        **popen,
    )


def _die_with_brink() -> None:
    from brink.lifeline import die_with_parent

    die_with_parent()


def view_command(args: argparse.Namespace) -> int:
    require("view", "brink view")
    extra = view_environment(args)
    shown = args.run_dir or args.scenario or "black_sea_2022"
    if getattr(args, "play", None):
        shown += f", played as {args.play.strip().upper()}"
    print(f"brink view: {shown} at http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)
    with tempfile.TemporaryDirectory(prefix="brink-view-") as folder:
        server = start_server(args.host, args.port, extra, folder)
        stopping: list[int] = []

        def stop(signum, frame) -> None:
            stopping.append(signum)
            raise KeyboardInterrupt

        # SIGTERM, SIGHUP (terminal closed) and SIGINT all end the server, not just brink.
        handled = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
        previous = {sig: signal.signal(sig, stop) for sig in handled}
        try:
            return server.wait()
        except KeyboardInterrupt:
            return 128 + (stopping[0] if stopping else signal.SIGINT)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            terminate_group(server)


def animate_command(args: argparse.Namespace) -> int:
    require("view", "brink animate")  # it reads the run as the view does (brink.viz.app)
    from brink.viz.animate import animate_run, written_by_brink

    out = Path(args.out)
    where = Location(file=str(out))
    if out.suffix.lower() not in (".gif", ".mp4"):  # named here, not its temporary name
        raise BrinkInputError("is neither .gif nor .mp4; give FILE.gif or FILE.mp4", where)
    if out.is_symlink() or (out.exists() and not out.is_file()):
        raise BrinkInputError("is a link or a folder; give a new file name", where)
    if out.exists() and not args.force:
        raise BrinkInputError("exists; add --force to replace it, or give another name", where)
    if out.exists() and not written_by_brink(out):
        raise BrinkInputError(
            "exists and brink animate did not write it; --force replaces only an animation "
            "Brink wrote: move it away or give another name",
            where,
        )
    recorded = replay(args.run_dir)
    # By default the run with the most notable events (issue 27: run 0 was often 3 frames).
    run = (
        args.run if args.run is not None else recorded.picks().get("eventful", recorded.run_ids[0])
    )
    for parent in (out.parent, *out.parent.parents):
        if parent.exists() and not parent.is_dir():
            raise BrinkInputError(f"{parent} is a file, not a folder; give another --out", where)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Drawn under a fresh name beside FILE (same suffix, so the same writer) and renamed.
    temporary = out.with_name(f".{out.stem}.{os.getpid()}.{secrets.token_hex(4)}{out.suffix}")
    try:
        frames = animate_run(
            recorded.scenario,
            recorded.tables,
            recorded.shares(),
            temporary,
            run=run,
            dispute=recorded.dispute,
            fps=args.fps,
        )
        os.replace(temporary, out)
    except OSError as error:  # a full or read-only disk: name FILE, not its temporary name
        raise OSError(error.errno, error.strerror, str(out)) from None
    finally:
        temporary.unlink(missing_ok=True)
    print(f"brink animate: {frames} frames of run {run} written to {args.out}")
    return 0
