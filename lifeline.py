"""Child processes that die with their parent.

A worker of ``brink run --jobs N`` or ``brink sweep`` holds a few hundred megabytes; if the
parent is killed (``kill -9``, the out-of-memory killer, a closed terminal), the workers must not
live on. On Linux, :func:`die_with_parent` asks the kernel to send the calling process SIGKILL
when its parent ends (``prctl(PR_SET_PDEATHSIG)``, see prctl(2)); it is called first thing in
each worker (the pool's initializer) and in the view's server process. Elsewhere it does
nothing, and the pools' own shutdown is all there is.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int | None = None) -> bool:
    """Have this process killed when its parent ends; True if the kernel took the request.

    Args:
        parent: the pid the caller expects as its parent. If the parent already ended before
            the request was made (this process then has another parent), exit at once.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died between fork and prctl: nobody will collect our work
    return done


def terminate_group(process, timeout: float = 10.0) -> None:
    """End a child started with ``start_new_session=True`` and everything it started: SIGTERM
    to its process group, then SIGKILL if it is still there after ``timeout`` seconds."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except Exception:  # subprocess.TimeoutExpired, or interrupted again
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
