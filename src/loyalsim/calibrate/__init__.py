"""Calibration by ABC-SMC: which parameter values reproduce reported facts, and how surely.

``loyalsim.calibrate(TARGETS, OUT)`` (the function of ``calibrate.api``) runs a target file
(``calibrate.targets``) into a calibration directory; ``loyalsim calibrate`` is the command.
The package object itself is callable, because the import system replaces the lazily exported
function ``loyalsim.calibrate`` by this package once any of its modules is imported: either
way ``loyalsim.calibrate(...)`` runs a calibration.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from loyalsim.calibrate.api import calibrate

        return calibrate(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
