"""Upper bounds on every size a scenario may ask for, and why each is where it is.

The schemas use these numbers as field bounds, so ``loyalsim check``, sweeps, the docs and the
explorer all read the same limits, and a scenario that ``check`` accepts never fails for its
size once a run has started. The memory figures are peaks measured on the simulators
(``ru_maxrss`` at two sizes, slope per unit), rounded up; the aim is that the largest
accepted scenario of every model fits in about 2 GB beyond the interpreter itself.
"""

from __future__ import annotations

import datetime as dt

# Dates: every date in a scenario lies here. Python, Arrow and matplotlib all handle these
# dates and the 100 years of weekly steps after the last of them (time.n_steps <= 5200).
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2200, 12, 31)

# Text: names appear in figure titles, legends, manifests and every report; a 1 MB name made
# a 3-second run take 76 seconds. Descriptions are one line in `loyalsim presets`.
MAX_NAME_CHARS = 200
MAX_DESCRIPTION_CHARS = 2_000

# Lists of dated items (orders, calendar events, amnesties, economy points): each is looked at
# once per step for a few hundred policy cells, so 1,000 items cost milliseconds per step.
MAX_LIST_ITEMS = 1_000

# Files: a scenario file is read whole; 1 MiB holds thousands of orders. TOML nesting deeper
# than this is never needed by a schema (the deepest path is table, list, item, list) and
# very deep nesting exhausts the parser's recursion.
MAX_FILE_BYTES = 1 << 20
MAX_NESTING = 10
MAX_EXTENDS_CHAIN = 16
# A --set value is one TOML value on one line.
MAX_OVERRIDE_CHARS = 100_000

# Civil violence: about 9 bytes per cell in Model I and at most 170 per cell in Model II
# (its agent arrays have room for twice the cells plus the starting agents), so 10 million
# cells stay under 2 GB.
CV_MAX_SIDE = 10_000
CV_MAX_CELLS = 10_000_000

# Steps of the classic models: the tidy table holds steps x groups x metrics rows
# (at most 100,001 x 3 x 14 = 4.2 million rows, about 200 MB in memory).
CLASSIC_MAX_STEPS = 100_000

# Granovetter's friendship graph peaks at about 180 bytes per tie while it is built
# (crowd.size x mean_degree / 2 ties), so at most 10 million ties: under 2 GB.
MAX_FRIEND_TIES = 10_000_000
