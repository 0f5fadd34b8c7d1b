"""Password rules: Django's four validators, the common-password one also with a list of Chinese users' favourites.

``password_problems`` checks a password once per language, so that a refusal carries its reasons in
Chinese and in English (Django's validators translate their messages when they raise them, in the
language active at that moment).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator as DjangoCommonPasswordValidator
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

COMMON_PASSWORDS_ZH = Path(__file__).with_name("common_passwords_zh.txt")


class CommonPasswordValidator(DjangoCommonPasswordValidator):
    """Django's list of 20,000 common passwords and ours of passwords common among Chinese users, as one rule
    (one message, one line of help)."""

    def __init__(
        self,
        password_list_path: Path | str = DjangoCommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH,
        extra_list_path: Path | str = COMMON_PASSWORDS_ZH,
    ) -> None:
        super().__init__(password_list_path=password_list_path)
        with open(extra_list_path, encoding="utf-8") as f:
            self.passwords |= {line.strip() for line in f if line.strip()}


def password_problems(password: str, *, user: Any = None) -> tuple[str, str] | None:
    """The validators' reasons against the password as ("中文", "English"), or None when it is accepted."""
    reasons: list[str] = []
    for language, separator in (
        ("zh-hans", ""),
        ("en", " "),
    ):  # Chinese sentences end in 。 and need no space
        with translation.override(language):
            try:
                validate_password(password, user=user)
            except ValidationError as exc:
                reasons.append(separator.join(exc.messages))
            else:
                return None
    return reasons[0], reasons[1]
