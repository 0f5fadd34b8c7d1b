from __future__ import annotations

from luoshi.accountability.errors import AccountabilityError
from luoshi.bulletins.errors import BulletinError
from luoshi.decomposition.excel_read import ExcelImportError
from luoshi.decomposition.services import PlanError
from luoshi.documents.errors import IngestError
from luoshi.evaluation.services import EvaluationError
from luoshi.lib.errors import BilingualError
from luoshi.people.services import AccountError
from luoshi.ratings.errors import RatingError
from luoshi.reports.errors import ReportError
from luoshi.supervision.errors import SupervisionError
from luoshi.tasks.errors import TaskError


def test_every_app_error_is_one_bilingual_shape() -> None:
    for cls in (
        AccountabilityError,
        AccountError,
        BulletinError,
        ExcelImportError,
        PlanError,
        IngestError,
        EvaluationError,
        RatingError,
        ReportError,
        SupervisionError,
        TaskError,
    ):
        exc = cls("code_x", "中文原因", "the reason")
        assert isinstance(exc, BilingualError)
        assert (exc.code, str(exc)) == ("code_x", "中文原因 / the reason")
