"""Worker processes that die with the coordinator that started them.

A pool worker blocks on its task queue forever if the coordinator is killed (kill -9 runs
no clean-up), and with it the multiprocessing resource tracker, which waits for every
holder of its pipe. ``die_with_parent`` runs first in each worker and ties the worker's life
to its parent's:

- on Linux the kernel does it: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` asks for SIGKILL when
  the parent dies, delivered at once even while the worker is inside a numba kernel that
  holds the GIL; the parent is checked once more after arming, in case it died before;
- elsewhere a daemon thread polls ``os.getppid()``, which changes when the parent dies and
  the worker is re-parented, and kills the worker (a delay of up to a second, or until a
  long kernel returns).

Either way the resource tracker sees its last pipe writer go and exits on its own. The pool
must start workers directly from the coordinator (the ``spawn`` start method), so that the
parent is the coordinator and not an intermediate fork server. The kernel ties the signal
to the coordinator *thread* that started the worker: a pool is used from the thread that
runs the sweep, which outlives it.

Alternatives, and why not: a process group only helps if whoever kills the coordinator
kills the group (``kill -9 PID`` does not); a watchdog thread alone cannot run while a
kernel holds the GIL, so it is only the fallback where the kernel offers nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_S = 0.5


def _arm_pdeathsig() -> bool:
    """Ask the Linux kernel to SIGKILL this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_S)
    _die()


def die_with_parent(parent_pid: int, use_kernel: bool = True) -> None:
    """Make this process die when ``parent_pid`` (its parent) dies (pool initializer)."""
    armed = use_kernel and _arm_pdeathsig()
    if os.getppid() != parent_pid:  # the parent died before we could ask
        _die()
    if not armed:
        threading.Thread(target=_watch, args=(parent_pid,), daemon=True).start()
