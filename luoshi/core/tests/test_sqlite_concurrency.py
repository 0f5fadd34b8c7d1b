"""On the default SQLite, simultaneous writes wait for each other instead of failing "database is locked".

The races run in a process of their own (luoshi/testing/sqlite_race.py) on a SQLite file: the test suite's
SQLite database lives in memory, where threads share one cache and the busy timeout does not apply.
PostgreSQL handles the same races with row locks (luoshi/supervision/tests/test_concurrency.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from luoshi.testing.paths import REPO
from luoshi.testing.sqlite_race import THREADS


def test_simultaneous_reports_bulletins_urgings_and_task_edits_all_succeed_on_sqlite(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "LUOSHI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "luoshi.test_settings",
    }
    run = subprocess.run(
        [sys.executable, "-m", "luoshi.testing.sqlite_race"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout)
    assert found["journal_mode"] == "wal"
    # Four reports on one obligation: four versions, none lost, none failed.
    assert found["reports_errors"] == []
    assert found["reports_versions"] == [v + 1 + len(found["reports_before"]) for v in range(THREADS)]
    # Four issuers of the same bulletin: four numbers, each superseding the one before.
    assert found["bulletin_errors"] == [] and found["bulletin_numbers"] == THREADS
    assert found["bulletin_versions"] == list(range(1, THREADS + 1))
    # Four office downloads of one unit's urging notice (催办单): all served, one number between them.
    assert (
        found["urging_errors"] == []
        and found["urging_notices"] == THREADS
        and len(found["urging_numbers"]) == 1
    )
    # Four editors of one task at one version: one edit wins, the others are told it changed (never a 500).
    assert (
        found["task_errors"] == [] and found["task_stale"] == THREADS - 1 and found["task_version_step"] == 1
    )
