"""luoshi urging: a unit's or an assignment's 催办单 written as DOCX; mistakes refused in both languages, nothing written."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from luoshi.bulletins.tests.render_helpers import all_text, open_docx
from luoshi.site.demo import DemoSummary
from luoshi.tasks.models import Assignment

pytestmark = pytest.mark.django_db

ETHNIC = "内蒙古自治区民族事务委员会"


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("urging", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _lead(code: str) -> Assignment:
    found = (
        Assignment.objects.filter(unit__code=code, role="lead").select_related("task").order_by("pk").first()
    )
    assert found is not None
    return found


def test_it_writes_a_units_notice_with_every_overdue_item(demo: DemoSummary, tmp_path: Path) -> None:
    out = tmp_path / "minwei.docx"
    stdout, stderr = _run(
        "--unit",
        "ethnic-affairs",
        "--as-of",
        "2024-04-05",
        "--number",
        "督催〔2024〕7号",
        "--respond-days",
        "3",
        "-o",
        str(out),
    )
    assert stdout.strip() == str(out)
    assert f"督催〔2024〕7号 {ETHNIC}: 6 overdue" in stderr and "respond by 2024-04-08" in stderr
    document = open_docx(out.read_bytes())
    paragraphs = [p.text for p in document.paragraphs]
    assert "督查催办单" in paragraphs and "督催〔2024〕7号" in paragraphs
    assert f"{ETHNIC}：" in paragraphs  # the addressee
    assert "回复时限：2024年4月8日前。" in paragraphs
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["序号", "任务", "逾期事项", "应完成时间", "逾期天数"]
    assert len(rows) == 7  # 3 tasks × 2 quarters not reported
    assert rows[1][2:] == ["2023年第四季度进展报告未报送", "2023年12月31日", "96"]
    assert {r[1] for r in rows[1:]} == {
        a.task.title for a in Assignment.objects.filter(unit__code="ethnic-affairs")
    }


def test_it_writes_one_assignments_notice(demo: DemoSummary, tmp_path: Path) -> None:
    assignment = _lead("agriculture-animal")
    out = tmp_path / "one.docx"
    _run("--assignment", str(assignment.pk), "--as-of", "2024-04-05", "-o", str(out))
    text = all_text(open_docx(out.read_bytes()))
    assert "内蒙古自治区农牧厅：" in text
    assert (
        f"“{assignment.task.title}”任务2024年第一季度进展报告未报送，应于2024年3月31日前完成，"
        "截至2024年4月5日已逾期5天。"
    ) in text
    assert "回复时限：2024年4月8日前。" in text  # LUOSHI_URGING_RESPONSE_DAYS, 3 by default


def test_a_unit_may_be_named_and_its_catalog_given(demo: DemoSummary, tmp_path: Path) -> None:
    out = tmp_path / "by-name.docx"
    _run("--unit", ETHNIC, "--as-of", "2024-04-05", "-o", str(out))
    assert f"{ETHNIC}：" in all_text(open_docx(out.read_bytes()))
    _run("--unit", "ethnic-affairs", "--catalog", "inner-mongolia", "--as-of", "2024-04-05", "-o", str(out))
    with pytest.raises(CommandError, match="找不到单位"):
        _run("--unit", "ethnic-affairs", "--catalog", "elsewhere", "-o", str(tmp_path / "x.docx"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "nowhere"], "找不到单位“nowhere”.* / No unit 'nowhere'"),
        (["--unit", "energy", "--as-of", "2024-04-05"], "没有逾期事项，无需催办.* / .*has nothing overdue"),
        (["--assignment", "999999"], "任务分工不存在：#999999 / No such assignment: #999999"),
        (
            ["--unit", "ethnic-affairs", "--as-of", "2024/04/05"],
            "日期格式应为 YYYY-MM-DD.* / Date must be YYYY-MM-DD",
        ),
        (
            ["--unit", "ethnic-affairs", "--respond-days", "-1"],
            "回复天数不能为负数.* / --respond-days must not be",
        ),
    ],
)
def test_it_refuses_in_both_languages_and_writes_nothing(
    demo: DemoSummary, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "notice.docx"
    with pytest.raises(CommandError, match=message):
        _run(*args, "-o", str(out))
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_existing_file_is_left_alone_when_refused(demo: DemoSummary, tmp_path: Path) -> None:
    out = tmp_path / "notice.docx"
    out.write_bytes(b"earlier notice")
    with pytest.raises(CommandError, match="nothing overdue"):
        _run("--unit", "energy", "--as-of", "2024-04-05", "-o", str(out))
    assert out.read_bytes() == b"earlier notice"


def test_it_needs_exactly_one_of_unit_and_assignment(demo: DemoSummary, tmp_path: Path) -> None:
    out = str(tmp_path / "notice.docx")
    with pytest.raises(CommandError, match="one of the arguments --unit --assignment is required"):
        _run("-o", out)
    with pytest.raises(CommandError, match="not allowed with argument"):
        _run("--unit", "energy", "--assignment", "1", "-o", out)


def test_it_refuses_an_output_it_cannot_write(demo: DemoSummary, tmp_path: Path, monkeypatch: Any) -> None:
    with pytest.raises(CommandError, match=r"输出目录不存在.* / The output folder does not exist"):
        _run("--unit", "ethnic-affairs", "-o", str(tmp_path / "nowhere" / "notice.docx"))
    with pytest.raises(CommandError, match=r"输出路径是一个目录.* / The output is a folder"):
        _run("--unit", "ethnic-affairs", "-o", str(tmp_path))
    monkeypatch.setattr(
        os, "access", lambda *args, **kwargs: False
    )  # a read-only folder (root ignores modes)
    with pytest.raises(CommandError, match=r"无法写入输出文件.* / Cannot write the output file"):
        _run("--unit", "ethnic-affairs", "-o", str(tmp_path / "notice.docx"))
    assert list(tmp_path.iterdir()) == []


def test_a_write_that_fails_half_way_leaves_nothing(
    demo: DemoSummary, tmp_path: Path, monkeypatch: Any
) -> None:
    def full_disk(self: Path, target: Path) -> Path:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "replace", full_disk)
    with pytest.raises(CommandError, match=r"无法写入输出文件.*No space left on device"):
        _run("--unit", "ethnic-affairs", "--as-of", "2024-04-05", "-o", str(tmp_path / "notice.docx"))
    assert list(tmp_path.iterdir()) == []


def test_the_file_gets_the_usual_permissions(demo: DemoSummary, tmp_path: Path) -> None:
    out = tmp_path / "notice.docx"
    _run("--unit", "ethnic-affairs", "--as-of", "2024-04-05", "-o", str(out))
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
