"""Result storage: run directories written then renamed, Parquet, DuckDB views."""
