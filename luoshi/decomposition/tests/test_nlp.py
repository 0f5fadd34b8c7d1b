"""``luoshi.lib.nlp`` segments exactly as jieba does (our faster path must not drift)."""

from __future__ import annotations

import jieba
import pytest

from luoshi.lib import nlp
from luoshi.testing import paths
from luoshi.testing.corpus import Corpus

_SAMPLES = [
    "",
    " ",
    "a",
    "abc 123 x",
    "2025年GDP增长5.2%，CPI涨幅3%左右。",
    "\r\n\t中文 English混合ABC-12_x.y",
    "《“十四五”规划》提出“双碳”目标！",
    "Ⅲ类水体比例达到95％以上",
    "😀表情与　全角空格",
    "加快推进新能源大基地、装备制造基地和电力外送通道建设，统筹布局源网荷储，转变开发利用方式。",
    "的的的的的的",
]


@pytest.mark.parametrize("text", _SAMPLES)
def test_segment_and_tokens_equal_jieba(text: str) -> None:
    nlp.segment("")  # initialise (dictionary and user words)
    assert nlp.segment(text) == list(jieba.dt.cut(text, HMM=False))
    assert [tuple(t) for t in nlp.tokens(text)] == list(jieba.dt.tokenize(text, HMM=False))


def test_segment_equals_jieba_on_the_test_documents() -> None:
    names = sorted(p.name for p in paths.DOCUMENTS.glob("*.txt") if "gbk" not in p.name)
    texts = [paths.seed_text(), *(paths.document_text(name) for name in names)]
    nlp.segment("")
    for text in texts:
        assert nlp.segment(text) == list(jieba.dt.cut(text, HMM=False))


def test_segment_equals_jieba_on_corpus(corpus: Corpus) -> None:
    texts = [p.read_text(encoding="utf-8")[:20_000] for p in corpus.files("texts/*.txt")[:4]]
    assert texts
    nlp.segment("")
    for text in texts:
        assert nlp.segment(text) == list(jieba.dt.cut(text, HMM=False))


def _jieba_best_path_logprob(text: str) -> float:
    route: dict[int, tuple[float, int]] = {}
    jieba.dt.calc(text, jieba.dt.get_DAG(text), route)
    return float(route[0][0])


def test_best_path_logprob_equals_jiebas_route_score() -> None:
    nlp.segment("")
    runs = [r for text in [paths.seed_text(), *_SAMPLES] for r in nlp._re_han.findall(text)]
    assert len(runs) > 100
    for run in runs:
        assert nlp.best_path_logprob(run) == _jieba_best_path_logprob(
            run
        )  # bit for bit: findings depend on it
