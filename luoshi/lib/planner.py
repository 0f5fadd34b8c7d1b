"""The query planner's statistics: without them both databases can pick a plan that reads every row.

SQLite plans from its indexes alone until ``ANALYZE`` has written ``sqlite_stat1``: with none, the
reports' "previous counting progress" subquery (``reports.bulk._load``) searched the approval index
(every counting report of the region, per obligation) instead of the obligation's assignment, 60×
slower at a few thousand reports and quadratic as they grow. PostgreSQL keeps statistics itself
(autovacuum), minutes after a bulk load.
"""

from __future__ import annotations

from django.db import connection

# Rows SQLite samples per index when the clock refreshes statistics: bounded work on a large database,
# close enough for choosing an index (https://www.sqlite.org/lang_analyze.html#approx).
SAMPLE_ROWS = 1000


def analyze() -> None:
    """Full statistics now (after a bulk load: the region generator, a restore)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def optimize() -> None:
    """Keep SQLite's statistics current cheaply (each pass of ``luoshi tick``); PostgreSQL's autovacuum does it."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={SAMPLE_ROWS}")
        cursor.execute("PRAGMA optimize")
