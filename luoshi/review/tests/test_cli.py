"""`luoshi review check PATH [--governing DOC_ID ...] --json`: the first pass from the command line, storing nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from luoshi.documents.services import ingest_document
from luoshi.review.tests.passages import DECISION, UNRELATED, faithful_with

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("review", "check", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.fixture
def decision_id() -> int:
    ingest_document(data=UNRELATED.encode(), filename="unrelated.txt")
    return ingest_document(data=DECISION.encode(), filename="decision.txt").document.pk


def test_it_prints_the_findings_as_json_and_stores_nothing(decision_id: int, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(faithful_with("在2024年6月底前", "在2025年6月底前"), encoding="utf-8")
    before = row_counts()
    payload: dict[str, Any] = json.loads(run(str(draft), "--governing", str(decision_id), "--json"))
    assert row_counts() == before
    (finding,) = payload["findings"]
    assert finding["class"] == "later_deadline"
    assert finding["sentence"].startswith("各旗县区要在2025年6月底前")
    assert {"start", "end", "basis"} <= set(finding) and "2024年6月底前" in finding["basis"]
    assert finding["governing"]["document"] == decision_id


def test_without_governing_it_aligns_with_every_stored_decision(decision_id: int, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(faithful_with("严禁在饮用水", "原则上不得在饮用水"), encoding="utf-8")
    payload = json.loads(run(str(draft), "--json"))
    assert [(f["class"], f["governing"]["document"]) for f in payload["findings"]] == [
        ("softened_obligation", decision_id)
    ]
    assert payload["coverage"][0]["document"] == decision_id and payload["coverage"][0]["named"] is False


def test_metadata_options_feed_the_procedure_check(decision_id: int, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(faithful_with("严禁", "严禁") + "\n本方案自印发之日起施行。\n", encoding="utf-8")
    payload = json.loads(
        run(
            str(draft),
            "--governing",
            str(decision_id),
            "--kind",
            "normative",
            "--published",
            "2024-09-02",
            "--json",
        )
    )
    assert [f["rule"] for f in payload["findings"]] == ["procedure:effective_date"]


def test_the_plain_output_says_each_finding_and_the_count(decision_id: int, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(faithful_with("达到90%以上", "达到80%以上"), encoding="utf-8")
    out = run(str(draft), "--governing", str(decision_id))
    assert "[lower_target]" in out and "1 findings: lower_target 1" in out


def test_it_refuses_an_unknown_decision_an_unreadable_file_and_an_empty_database(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("一、任务\n加强供水。", encoding="utf-8")
    with pytest.raises(CommandError, match="No decision is stored"):
        run(str(draft))
    with pytest.raises(CommandError, match="No stored document #99"):
        run(str(draft), "--governing", "99")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.txt"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    ingest_document(data=DECISION.encode(), filename="decision.txt")
    with pytest.raises(CommandError):
        run(str(tmp_path / "binary.txt"))
