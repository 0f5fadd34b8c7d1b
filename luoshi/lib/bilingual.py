"""Text the services stored in both languages ("中文 / English"), shown in one: the page's.

Notices and audit notes are written once for every reader (e-mail and webhooks carry both); a page
shows only its own language. The forms handled are the ones the services write:

- a labelled line, "任务 / Task：title" → "任务：title" or "Task: title";
- a pair, "请于 1 月 5 日前报送。 / Please report by 5 January." → one half;
- a pair in brackets inside a line, "（已逾期3天 / 3 days overdue）" → "（已逾期3天）".

Anything else is returned as it is.
"""

from __future__ import annotations

import re

from luoshi.lib.errors import is_chinese

CJK = re.compile(r"[\u3400-\u9fff]")
LABEL = re.compile(r"^(?P<zh>[^/：\n]*[\u3400-\u9fff][^/：\n]*?) / (?P<en>[A-Za-z][^：\n]*?)：(?P<value>.*)$")
BRACKETED = re.compile(r"（(?P<zh>[^（）/]*[\u3400-\u9fff][^（）/]*) / (?P<en>[^（）]*)）")
# The English half starts like English: a letter, a digit, a quote or a bracket.
PAIR = re.compile(r"^(?P<zh>.*[\u3400-\u9fff].*?[^\s]) / (?P<en>[A-Za-z0-9\"'(【].*)$")


def one_language(text: str, language: str | None = None) -> str:
    """``text`` with every "中文 / English" in it reduced to the language's half (default: the active one)."""
    chinese = is_chinese(language)
    return "\n".join(_line(line, chinese) for line in text.split("\n"))


def _line(line: str, chinese: bool) -> str:
    labelled = LABEL.match(line)
    if labelled:
        label = labelled["zh"] + "：" if chinese else labelled["en"] + ": "
        return label + _line(labelled["value"], chinese)
    line = BRACKETED.sub(lambda m: f"（{m['zh']}）" if chinese else f" ({m['en']})", line)
    pair = PAIR.match(line)
    if pair:
        return pair["zh"] if chinese else pair["en"]
    return line
