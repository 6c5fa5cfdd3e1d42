"""Scenario discovery: under which assumptions does an outcome hold (PRIM and CART).

``loyalsim.discover(SWEEP_DIR, OUTCOME)`` (the function of ``discover.api``) evaluates an
outcome expression (``discover.expression``) on every run of a stored sweep and describes
where in parameter space it holds; ``loyalsim discover`` is the command. The package object
itself is callable, because the import system replaces the lazily exported function
``loyalsim.discover`` by this package once any of its modules is imported: either way
``loyalsim.discover(...)`` runs a discovery.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from loyalsim.discover.api import discover

        return discover(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
