"""Files written whole or not at all: temporary name, fsync, checksum, rename.

A reader never sees a half-written file under its final name; a kill -9 leaves at most a
hidden ``.NAME.tmp`` beside it, which the next writer removes. ``write_atomic`` returns the
SHA-256 and size of what it wrote, so callers can record them and readers can check them.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SIDECAR = ".sha256"


@dataclass(frozen=True)
class Digest:
    """SHA-256 and size of a file as written."""

    sha256: str
    size: int


def file_digest(path: Path) -> Digest:
    """SHA-256 and size of a file (read in chunks)."""
    with open(path, "rb") as handle:
        sha = hashlib.file_digest(handle, "sha256").hexdigest()
        return Digest(sha, os.fstat(handle.fileno()).st_size)


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _commit(tmp: Path, path: Path) -> None:
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def write_atomic(table: pa.Table, path: Path) -> Digest:
    """Write a Parquet file under a temporary name, fsync and hash it, rename it into place."""
    tmp = _tmp(path)
    pq.write_table(table, tmp, compression="zstd")
    _fsync_file(tmp)
    digest = file_digest(tmp)
    _commit(tmp, path)
    return digest


def write_text_atomic(text: str, path: Path) -> None:
    """Write a text file under a temporary name, fsync it, rename it into place."""
    tmp = _tmp(path)
    tmp.write_text(text, "utf-8")
    _fsync_file(tmp)
    _commit(tmp, path)


def sidecar_path(path: Path) -> Path:
    """Where the checksum of ``path`` is kept."""
    return path.with_name(path.name + SIDECAR)


def read_sidecar(path: Path) -> str | None:
    """The SHA-256 recorded for ``path``, or None if there is no (readable) sidecar."""
    try:
        text = sidecar_path(path).read_text("ascii")
    except (OSError, UnicodeDecodeError):
        return None
    sha = text.split(maxsplit=1)[0] if text.strip() else ""
    return sha if re.fullmatch(r"[0-9a-f]{64}", sha) else None


def write_manifest_shard(table: pa.Table, path: Path) -> Digest:
    """Write a manifest shard: temporary file, then its checksum sidecar, then the rename."""
    tmp = _tmp(path)
    pq.write_table(table, tmp, compression="zstd")
    _fsync_file(tmp)
    digest = file_digest(tmp)
    write_text_atomic(f"{digest.sha256}  {path.name}\n", sidecar_path(path))
    _commit(tmp, path)
    return digest
