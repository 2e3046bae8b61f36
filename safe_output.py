"""Output folders that never hurt what is already on disk.

Every command that writes a folder (``brink run``, ``classic … --out``, ``retrodict``) builds it
in a new temporary sibling (``.NAME.partial-PID-XXXX``) and renames it into place when it is
complete, so an interruption leaves the previous complete folder untouched, or nothing. A folder
is written only if it is new or empty, or if its ``manifest.json`` says this kind of command
wrote it and the user asked for it again (``--force``); even then, a file the manifest does not
list (a file Brink did not write) stops the command instead of being deleted. Temporary names
are created exclusively (``O_EXCL``) and links are never followed, so a planted symbolic link
cannot send a write elsewhere.

A sweep is staged too, but under a fixed name (``.NAME.sweep-partial``, see
:func:`brink.experiments.sweep.run.staging_folder`) so that ``--resume`` finds it after an
interruption; it is renamed to ``NAME`` only when every run is on disk. An OS error names the
user's destination, never a staging name (:func:`describe_os_error`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from brink.errors import BrinkInputError, Location

MANIFEST = "manifest.json"
#: A name read from a file that becomes part of a path: letters, digits, ``_ . -``, not
#: starting with a dot, so it can neither climb out of its folder nor hide in it.
SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")


def safe_name(name: str, location: Location) -> str:
    """``name`` if it can be a file or folder name inside an output folder, else a located error."""
    if not isinstance(name, str) or not SAFE_NAME.fullmatch(name) or ".." in name:
        raise BrinkInputError(
            f"{name!r} cannot name a folder: use letters, digits, '_', '-' and '.' (at most "
            "100, not starting with '.'), with no '/' or '..'",
            location,
        )
    return name


def _manifest_of(directory: Path) -> dict[str, Any] | None:
    path = directory / MANIFEST
    if path.is_symlink() or not path.is_file():
        return None
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read(10_000_000).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def foreign_files(directory: Path, manifest: dict[str, Any]) -> list[str]:
    """Entries of ``directory`` (relative paths) that its manifest does not say Brink wrote."""
    allowed = {MANIFEST, *(str(name) for name in manifest.get("files") or [])}
    found = []
    for root, folders, files in os.walk(directory, followlinks=False):
        base = Path(root).relative_to(directory)
        for name in sorted(folders):
            if (Path(root) / name).is_symlink():
                found.append((base / name).as_posix())
        for name in sorted(files):
            relative = (base / name).as_posix()
            if relative not in allowed or (Path(root) / name).is_symlink():
                found.append(relative)
    return found


def manifest_kind(manifest: dict[str, Any]) -> str:
    """What wrote a folder: ``run`` (run manifests before kinds were recorded), ``sweep``, ..."""
    return str(manifest.get("kind") or "run")


def check_output_folder(directory: Path, *, kind: str, again: bool, flag: str = "--force") -> None:
    """Refuse ``directory`` unless new, empty, or an earlier output of ``kind`` with ``again``.

    Raises:
        BrinkInputError: naming the folder and what to do instead.
    """
    where = Location(file=str(directory))
    for parent in directory.parents:  # `--out notes.txt/run` said only "File exists"
        if parent.exists() and not parent.is_dir():
            raise BrinkInputError(
                f"{parent} is a file, not a folder, so nothing can be written inside it; "
                "choose another --out",
                where,
            )
    if directory.is_symlink():
        raise BrinkInputError(
            "is a symbolic link; Brink writes only into real folders (give the folder it points "
            "to, or another --out)",
            where,
        )
    if not directory.exists():
        return
    if not directory.is_dir():
        raise BrinkInputError("exists and is not a folder; choose another --out", where)
    if not any(directory.iterdir()):
        return
    manifest = _manifest_of(directory)
    if manifest is None:
        raise BrinkInputError(
            "is not empty and holds no Brink output (no manifest.json); Brink never writes over "
            "files it did not write: choose a new or empty --out",
            where,
        )
    if manifest_kind(manifest) != kind:
        raise BrinkInputError(
            f"holds a Brink {manifest_kind(manifest)} output, not a {kind}'s; choose another --out",
            where,
        )
    if not again:
        what = "finish it" if flag == "--resume" else "replace it"
        raise BrinkInputError(
            f"already holds a Brink {kind} output; add {flag} to {what}, or choose another --out",
            where,
        )
    if "files" in manifest:
        foreign = foreign_files(directory, manifest)
        if foreign:
            shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
            raise BrinkInputError(
                f"holds {len(foreign)} file(s) Brink did not write ({shown}); move them away "
                f"first: {flag} replaces only Brink's own files",
                where,
            )


def nothing_to_resume(directory: Path, marker: str, kind: str) -> BrinkInputError:
    """The one error of ``--resume`` where there is nothing to resume, the same in every
    command (``sweep``, ``fit``): ``directory`` holds no ``marker`` of an earlier ``kind``."""
    return BrinkInputError(
        f"nothing to resume here (no {marker} of an earlier {kind}); leave out --resume to "
        f"start a new {kind}",
        Location(file=str(directory)),
    )


def listed_files(directory: Path) -> list[str]:
    """Every file under ``directory`` but the manifest, as sorted relative POSIX paths."""
    found: list[str] = []
    for root, _folders, files in os.walk(directory, followlinks=False):
        base = Path(root).relative_to(directory)
        found.extend((base / name).as_posix() for name in files)
    return sorted(name for name in found if name != MANIFEST)


@contextlib.contextmanager
def staged_folder(
    directory: Path | str,
    *,
    kind: str,
    again: bool,
    flag: str = "--force",
    manifest: dict[str, Any] | None = None,
) -> Iterator[Path]:
    """Build an output folder in a temporary sibling; rename it to ``directory`` when complete.

    Yields the temporary folder to write into. If the body raises (or is interrupted), the
    temporary folder is removed and ``directory`` is left as it was. If the body leaves no
    ``manifest.json``, one is written from ``manifest`` (``kind``, ``status: complete`` and the
    list of files), so a later ``flag`` knows which files it may replace.
    """
    directory = Path(directory)
    check_output_folder(directory, kind=kind, again=again, flag=flag)
    parent = directory.parent
    parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(directory)
    temporary = parent / f".{directory.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    os.mkdir(temporary)  # fails on anything already there, a planted link included
    try:
        yield temporary
        if not (temporary / MANIFEST).exists():
            record = {"kind": kind, "status": "complete", **(manifest or {})}
            record["files"] = listed_files(temporary)
            write_text_atomic(temporary / MANIFEST, json.dumps(record, indent=2) + "\n")
        check_output_folder(directory, kind=kind, again=again, flag=flag)  # changed meanwhile?
        _move_into_place(temporary, directory)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


_STAGING = re.compile(r"\.(?P<name>.+)\.(?:partial|old)-(?P<pid>\d+)-[0-9a-f]{8}")


_STALE_FILE = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.partial")


def _remove_stale_staging(directory: Path) -> None:
    """Remove the staging folders and temporary files beside ``directory`` left by a Brink
    process that was killed (SIGKILL, a power cut: its process id no longer runs). Brink made
    them under names of its own, with its process id, and nothing reads them; they may be of
    any output in that folder (``brink run``'s default ``out/NAME-TIME`` is a new name each
    time, so waiting for the same name again would keep them forever)."""
    try:
        entries = list(os.scandir(directory.parent))
    except OSError:
        return
    for entry in entries:
        match = _STAGING.fullmatch(entry.name) or _STALE_FILE.fullmatch(entry.name)
        if not match or entry.is_symlink() or _running(int(match["pid"])):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        elif match.re is _STALE_FILE and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [  # olddirfd, oldpath, newdirfd, newpath, flags
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _move_into_place(temporary: Path, directory: Path) -> None:
    if not directory.exists():
        os.rename(temporary, directory)
        return
    if _exchange(temporary, directory):
        shutil.rmtree(temporary)  # now the previous output, whose files Brink wrote
        return
    old = directory.with_name(f".{directory.name}.old-{os.getpid()}-{secrets.token_hex(4)}")
    os.rename(directory, old)
    os.rename(temporary, directory)
    shutil.rmtree(old)


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` through a new temporary file beside it, then rename.

    The temporary file is created exclusively and never through a link, so nothing planted at
    its name can redirect the write; the rename replaces a link at ``path`` itself, not its
    target.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(temporary, flags, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def temporary_name(path: Path) -> Path:
    """A fresh, unguessable temporary name beside ``path`` (for writers that take a path)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.partial")


#: The temporary names Brink writes under (see :func:`staged_folder`, :func:`temporary_name`,
#: :func:`write_text_atomic` and the sweep's staging folder), each with the name it stands for.
_TEMPORARY_NAMES = (
    re.compile(r"\.(?P<name>.+)\.(?:partial|old)-\d+-[0-9a-f]{8}"),
    re.compile(r"\.(?P<name>.+)\.\d+\.[0-9a-f]{8}\.partial"),
    re.compile(r"\.(?P<name>.+)\.[0-9a-f]{8}\.partial"),
    re.compile(r"\.(?P<name>.+)\.sweep-partial"),
)


def user_path(path: str | os.PathLike[str]) -> str:
    """``path`` with each of Brink's temporary names replaced by the name it will become.

    ``/data/.r.partial-4242-0a1b2c3d/tables/.steps.parquet.4242.9f8e7d6c.partial`` is
    ``/data/r/tables/steps.parquet``: the place the user asked for, not the staging area.
    """
    parts = []
    for part in Path(path).parts:
        for pattern in _TEMPORARY_NAMES:
            match = pattern.fullmatch(part)
            if match:
                part = match["name"]
                break
        parts.append(part)
    return str(Path(*parts)) if parts else str(path)


def describe_os_error(error: OSError, destination: str | os.PathLike[str] | None = None) -> str:
    """One line for an OS error: the user's destination (never a staging name), the reason,
    and the usual remedy. ``destination`` (the command's ``--out``) is named when the error
    itself names no file, as a full disk's does not."""
    reason = error.strerror or str(error) or type(error).__name__
    hints = {
        errno.ENOSPC: "free some space or choose another --out",
        errno.EROFS: "choose an --out on a writable disk",
        errno.EACCES: "choose an --out you may write to",
        errno.EPERM: "choose an --out you may write to",
        errno.EDQUOT: "free some space or choose another --out",
    }
    hint = hints.get(error.errno or 0)
    name = error.filename
    if name is None and destination is not None:
        name = destination
    if isinstance(name, str | bytes | os.PathLike):
        name = user_path(os.fsdecode(name))
    where = f"{name}: " if name else ""
    return f"{where}{reason}" + (f" ({hint})" if hint else "")


def write_atomic(path: Path, write) -> None:
    """``write(temporary)`` under a fresh unguessable name beside ``path``, then rename (for
    files a library writes itself, such as Parquet tables)."""
    temporary = temporary_name(path)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
