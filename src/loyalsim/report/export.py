"""Export stored results as CSV, Excel (xlsx) or Parquet, tidy or wide.

Tidy: one row per run, step, group and metric (the stored table; a sweep adds each run's
design point, replicate and axis values). Wide: one row per run and step, one column per
metric when one group is chosen, else one per metric and group (``metric[group]``). The
file is written under a temporary name and renamed, and never replaces a file without
``force``. Excel files are written with XlsxWriter (see ``docs/design.md``); a sheet holds
at most 1,048,576 rows, so larger tables are refused with a pointer to Parquet or ``--wide``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from loyalsim import catalogue

FORMATS = ("csv", "xlsx", "parquet")
EXCEL_MAX_ROWS = 1_048_576
KEYS = ("run_id", "step", "date")


class ExportError(ValueError):
    """Bad input for an export (the message names the option, the value and what is allowed)."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_tidy(source: Path) -> tuple[pa.Table, list[str]]:
    """The tidy rows of a run or sweep directory, and the extra key columns of a sweep."""
    from loyalsim.report.html import is_run_dir
    from loyalsim.store.rundir import read_run

    source = Path(source)
    if is_run_dir(source):
        table, _ = read_run(source)
        return table, []
    if (source / "sweep.json").is_file():
        from loyalsim.store.results import open_results

        with open_results(source) as res:
            axes = [str(a["path"]) for a in res.metadata.get("axes", [])]
            cols = "".join(f", r.{_quote(a)}" for a in axes)
            table = res.table(
                f"SELECT t.run_id, r.point_index, r.replicate{cols}, t.step, t.date, t.metric, "
                't."group", t.value FROM timeseries t JOIN runs r USING (run_id) '
                'ORDER BY r.point_index, r.replicate, t.step, t.metric, t."group"'
            )
        return table, ["point_index", "replicate", *axes]
    raise ExportError(
        f"{str(source)!r} is neither a run directory (manifest.json, scenario.toml) "
        "nor a sweep directory (sweep.json)"
    )


def select_groups(table: pa.Table, groups: Sequence[str]) -> pa.Table:
    """Only the rows of ``groups`` (all rows if none are given); unknown groups refused."""
    if not groups:
        return table
    have = sorted(set(table["group"].unique().to_pylist()))
    for group in groups:
        if group not in have:
            raise ExportError("--group: " + catalogue.unknown_message("group", group, have))
    import pyarrow.compute as pc

    return table.filter(pc.is_in(table["group"], pa.array(list(groups))))


def widen(table: pa.Table, extra_keys: Sequence[str]) -> pa.Table:
    """One row per run and step; one column per metric (one group) or per metric and group."""
    con = duckdb.connect()
    con.register("tidy", table)
    one_group = len(set(table["group"].unique().to_pylist())) <= 1
    column = "metric" if one_group else "metric || '[' || \"group\" || ']'"
    keys = ", ".join(_quote(k) for k in ("run_id", *extra_keys, "step", "date"))
    query = (
        f"PIVOT (SELECT {keys}, {column} AS name, value FROM tidy) ON name USING first(value) "
        f"GROUP BY {keys} ORDER BY {keys}"
    )
    relation = con.sql(query)
    fetch = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    out: pa.Table = fetch()
    con.close()
    return out


def check_target(out: Path, fmt: str, force: bool) -> Path:
    """Refuse an unknown format, a directory, or an existing file without ``force``."""
    if fmt not in FORMATS:
        raise ExportError(f"--format {fmt!r}: allowed: {', '.join(FORMATS)}")
    out = Path(out)
    if out.is_dir():
        raise ExportError(f"--out {str(out)!r} is a directory; give a file name (results.{fmt})")
    if out.exists() and not force:
        raise ExportError(f"--out {str(out)!r} exists; use --force to replace it")
    return out


def export(
    source: Path,
    out: Path,
    fmt: str = "csv",
    wide: bool = False,
    groups: Sequence[str] = (),
    force: bool = False,
) -> tuple[Path, int]:
    """Write the results of a run or sweep directory; returns the path and the row count."""
    out = check_target(out, fmt, force)
    table, extra = load_tidy(source)
    table = select_groups(table, groups)
    if wide:
        table = widen(table, extra)
    if fmt == "xlsx" and table.num_rows + 1 > EXCEL_MAX_ROWS:
        raise ExportError(
            f"--format xlsx: {table.num_rows:,} rows do not fit in an Excel sheet "
            f"({EXCEL_MAX_ROWS:,} at most); use --wide, --group, or --format parquet"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        WRITERS[fmt](table, tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out, table.num_rows


def _csv(table: pa.Table, path: Path) -> None:
    import pyarrow.csv as pacsv

    pacsv.write_csv(table, path)


def _parquet(table: pa.Table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path, compression="zstd")


def _xlsx(table: pa.Table, path: Path) -> None:
    import xlsxwriter

    # constant_memory streams rows to disk, so a large sheet never sits in memory.
    book = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "default_date_format": "yyyy-mm-dd"}
    )
    sheet = book.add_worksheet("results")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, table.column_names, bold)
    columns = [table[name].to_pylist() for name in table.column_names]
    for row, values in enumerate(zip(*columns, strict=True), start=1):
        sheet.write_row(row, 0, [_cell(v) for v in values])
    sheet.freeze_panes(1, 0)
    book.close()


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None  # NaN: an empty cell (Excel has no NaN)
    return value


WRITERS = {"csv": _csv, "parquet": _parquet, "xlsx": _xlsx}
