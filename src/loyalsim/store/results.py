"""Reading a sweep directory through DuckDB: the ``runs`` and ``timeseries`` views.

``runs`` holds the latest attempt of every run (one row per run id, whatever resumes and
retries happened); ``timeseries`` holds the tidy rows of the runs whose latest attempt is
ok, read only from the shard that attempt recorded, so a shard orphaned by a crash is never
counted. ``design`` has one row per design point. Views read the Parquet files lazily.

Opening checks the directory first (``integrity.scan`` without hashing the timeseries
shards): a damaged or missing file raises ``CorruptResultsError`` naming it, instead of a
Parquet error in the middle of a query.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from loyalsim.store.integrity import CorruptResultsError, Problem, scan
from loyalsim.store.shards import (
    DESIGN,
    RUNS_DIR,
    SWEEP_JSON,
    TIMESERIES_DIR,
    DamagedFileError,
    read_metadata,
    runs_schema,
)

TIDY = pa.schema(
    [
        ("run_id", pa.string()),
        ("step", pa.int32()),
        ("date", pa.date32()),
        ("metric", pa.string()),
        ("group", pa.string()),
        ("value", pa.float64()),
    ]
)


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def arrow_table(relation: Any) -> pa.Table:
    """A relation's rows as an Arrow table (the method name differs across DuckDB)."""
    fetch = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    table: pa.Table = fetch()
    return table


def checked_metadata(out: Path) -> dict[str, Any]:
    """``sweep.json`` of a sweep directory whose files pass a shallow scan.

    FileNotFoundError if ``out`` is not a sweep directory; CorruptResultsError naming every
    damaged or missing file otherwise.
    """
    try:
        meta = read_metadata(out)
    except DamagedFileError as exc:
        problem = Problem(SWEEP_JSON, exc.reason)
        raise CorruptResultsError(out, [problem]) from exc
    if meta is None:
        raise FileNotFoundError(f"{str(out)!r} is not a sweep directory (no sweep.json)")
    problems = scan(out, deep=False).problems
    if problems:
        raise CorruptResultsError(out, problems)
    return meta


def damaged_file(exc: BaseException, out: Path) -> CorruptResultsError | None:
    """The CorruptResultsError behind a DuckDB error that failed to read one of ``out``'s
    shards (damage the check at open cannot see: same size, intact footer), else None.

    DuckDB names the file for most damage ("Failed to read file"); damage inside a column's
    pages can surface as another error that names none, and then the checksums decide.
    """
    found = re.search(r'Failed to read file "([^"]+)"', str(exc))
    if found is None:
        if not isinstance(exc, duckdb.Error) or isinstance(exc, duckdb.ParserException):
            return None
        problems = [
            Problem(p.path, f"cannot be read ({p.reason})", p.run_ids)
            for p in scan(out, deep=True).problems
        ]
        return CorruptResultsError(out, problems) if problems else None
    path = Path(found.group(1))
    try:
        where = str(path.resolve().relative_to(Path(out).resolve()))
    except ValueError:
        return None
    reason = str(exc).split("\n", 1)[0]
    return CorruptResultsError(out, [Problem(where, f"cannot be read ({reason})")])


def connect(out: Path, meta: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the views ``runs``, ``timeseries``, ``design``."""
    out = Path(out)
    if meta is None:
        meta = checked_metadata(out)
    con = duckdb.connect()
    runs_glob = out / RUNS_DIR / "part-*.parquet"
    if any((out / RUNS_DIR).glob("part-*.parquet")):
        con.execute(
            "CREATE VIEW runs_all AS SELECT * FROM "
            f"read_parquet({_quote(runs_glob)}, union_by_name = true)"
        )
    else:
        con.register("runs_all", runs_schema(meta["axes"]).empty_table())
    con.execute(
        "CREATE VIEW runs AS SELECT * EXCLUDE (rn) FROM ("
        " SELECT *, row_number() OVER (PARTITION BY run_id ORDER BY shard_seq DESC) AS rn"
        " FROM runs_all) WHERE rn = 1"
    )
    ts_glob = out / TIMESERIES_DIR / "part-*.parquet"
    if any((out / TIMESERIES_DIR).glob("part-*.parquet")):
        con.execute(
            'CREATE VIEW timeseries AS SELECT t.run_id, t.step, t.date, t.metric, t."group",'
            f" t.value FROM read_parquet({_quote(ts_glob)}, filename = true) AS t"
            " JOIN runs AS r ON r.run_id = t.run_id AND r.status = 'ok'"
            " AND r.shard = parse_filename(t.filename)"
        )
    else:
        con.register("timeseries", TIDY.empty_table())
    con.execute(f"CREATE VIEW design AS SELECT * FROM read_parquet({_quote(out / DESIGN)})")
    return con


class SweepResults:
    """A sweep directory opened for reading: SQL over ``runs``, ``timeseries``, ``design``."""

    def __init__(self, out: Path) -> None:
        self.path = Path(out)
        self.metadata: dict[str, Any] = checked_metadata(self.path)
        self.con = connect(self.path, self.metadata)

    def sql(self, query: str) -> duckdb.DuckDBPyRelation:
        """A DuckDB relation for ``query``; call ``.df()`` or ``.fetchall()`` on it."""
        return self.con.sql(query)

    def table(self, query: str) -> pa.Table:
        """The result of ``query`` as an Arrow table."""
        return arrow_table(self.con.sql(query))

    def runs(self) -> Any:
        """The manifest (latest attempt per run) as a pandas DataFrame."""
        return self.con.sql("SELECT * FROM runs ORDER BY run_index").df()

    def timeseries(self, metric: str | None = None, group: str | None = None) -> pa.Table:
        """Tidy rows of successful runs as an Arrow table (optionally one metric/group)."""
        where, params = [], []
        if metric is not None:
            where.append("metric = ?")
            params.append(metric)
        if group is not None:
            where.append('"group" = ?')
            params.append(group)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        query = f'SELECT * FROM timeseries{clause} ORDER BY run_id, step, metric, "group"'
        return arrow_table(self.con.sql(query, params=params))

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> SweepResults:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_results(out: Path | str) -> SweepResults:
    """Open a sweep directory: ``.sql(query)``, ``.runs()``, ``.timeseries()``."""
    return SweepResults(Path(out))
