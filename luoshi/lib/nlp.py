"""Our own small interface to Chinese NLP.

The rest of the code never imports jieba: it calls ``segment``, ``tag``,
``split_sentences``, ``tokens`` and ``best_path_logprob`` here.  jieba is initialised
lazily, once, with its cache in a writable directory (read-only installs)
and our user dictionary of policy vocabulary.
"""

from __future__ import annotations

import logging
import math
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

_lock = threading.Lock()
_tokenizer: Any = None
_posseg: Any = None
_total_logfreq: float = 0.0
_re_han: re.Pattern[str] = re.compile("(?!)")
_re_skip: re.Pattern[str] = re.compile("(?!)")
# Characters jieba glues into one word when the best path splits them one by one.
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

USER_DICT = Path(__file__).with_name("policy_userdict.txt")


def _cache_dir() -> str:
    return os.environ.get("LUOSHI_NLP_CACHE_DIR") or tempfile.gettempdir()


def _init() -> Any:
    global _tokenizer, _posseg, _total_logfreq, _re_han, _re_skip
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is not None:
            return _tokenizer
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.dt
        tok.tmp_dir = _cache_dir()
        tok.initialize()
        if USER_DICT.exists():
            tok.load_userdict(str(USER_DICT))
        _total_logfreq = math.log(tok.total)
        _re_han, _re_skip = jieba.re_han_default, jieba.re_skip_default
        _posseg = jieba.posseg.POSTokenizer(tok)
        _tokenizer = tok
    return _tokenizer


class Token(NamedTuple):
    """A word and its offsets (a tuple: documents have tens of thousands)."""

    word: str
    start: int
    end: int


@dataclass(frozen=True)
class TaggedToken:
    word: str
    pos: str


def segment(text: str) -> list[str]:
    """Split text into words (jieba's precise mode, no HMM guessing)."""
    return _cut(text)


def tokens(text: str) -> list[Token]:
    """Words with their offsets in ``text``."""
    out: list[Token] = []
    pos = 0
    for word in _cut(text):
        end = pos + len(word)
        out.append(Token(word, pos, end))
        pos = end
    return out


def _cut(text: str) -> list[str]:
    """The words of ``jieba.cut(text, HMM=False)``, computed about twice as fast.

    Same algorithm and same result (tests compare the two): runs of CJK
    characters and ASCII letters/digits are segmented on the most probable
    path through the dictionary words; whitespace and other characters are
    words of their own.  jieba builds a DAG dict and a route dict of tuples
    per run, we walk the prefix dictionary once per position instead.
    """
    _init()
    out: list[str] = []
    for block in _re_han.split(text):
        if not block:
            continue
        if _re_han.match(block):
            _cut_run(block, out)
        else:
            for piece in _re_skip.split(block):
                if _re_skip.match(piece):
                    out.append(piece)
                else:
                    out.extend(piece)
    return out


def _cut_run(run: str, out: list[str]) -> None:
    """Append the words of ``run`` on jieba's best path (ties: the longer word)."""
    n = len(run)
    step = _best_path(run)[1]
    x = 0
    glued = ""
    while x < n:
        y = step[x]
        if y - x == 1 and run[x] in _ALNUM:
            glued += run[x]
        else:
            if glued:
                out.append(glued)
                glued = ""
            out.append(run[x:y])
        x = y
    if glued:
        out.append(glued)


def _best_path(run: str) -> tuple[float, list[int]]:
    """jieba's best path through ``run``: its log-probability and, per position, the end of the word
    that starts there on that path (``_init`` must have run)."""
    freq: dict[str, int] = _tokenizer.FREQ  # words, and their prefixes with frequency 0
    log, logtotal = math.log, _total_logfreq
    n = len(run)
    score = [0.0] * (n + 1)  # best log-probability of run[k:]
    step = list(range(1, n + 2))  # end of the first word on that path
    for k in range(n - 1, -1, -1):
        best: float | None = None
        i = k + 1
        f = freq.get(run[k])
        while f is not None:
            if f:
                # The same float operations as jieba's calc (equal scores, equal choices).
                cand = log(f) - logtotal + score[i]
                if best is None or cand >= best:
                    best, step[k] = cand, i
            if i >= n:
                break
            i += 1
            f = freq.get(run[k:i])
        if best is None:  # no dictionary word starts here: one character, frequency 1
            best = log(1) - logtotal + score[k + 1]
        score[k] = best
    return score[0], step


def tag(text: str) -> list[TaggedToken]:
    """Words with part-of-speech tags (noisy on policy text; pair with lexicons)."""
    _init()
    return [TaggedToken(p.word, p.flag) for p in _posseg.cut(text, HMM=False)]


def word_logprob(word: str) -> float:
    """Log unigram probability of a dictionary word (floor for unknown words)."""
    tok = _init()
    freq = tok.FREQ.get(word) or 0
    if freq <= 0:
        return math.log(1) - _total_logfreq - 2.0
    return math.log(freq) - _total_logfreq


def is_word(word: str) -> bool:
    tok = _init()
    return bool(tok.FREQ.get(word))


_SENT_END = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*|\n|$)")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) spans of sentences in text[start:end].

    A sentence ends at 。！？ (with trailing closing quotes/brackets) or a
    line break.  Spans are trimmed of whitespace and empty spans skipped.
    """
    stop = len(text) if end is None else end
    for m in _SENT_END.finditer(text, start, stop):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e
        if m.end() >= stop:
            break


def best_path_logprob(text: str) -> float:
    """Log-probability of jieba's best segmentation of ``text``.

    This is the score jieba maximises in precise mode without HMM: the sum of
    the unigram log-probabilities of the words on the best path (characters
    missing from the dictionary count as frequency 1).  Dividing by
    ``len(text)`` gives a per-character language-model score; costs about one
    ``segment`` call.
    """
    if not text:
        return 0.0
    _init()
    return _best_path(text)[0]


_state_prior: dict[str, float] = {}


def single_char_word_prob(ch: str) -> float:
    """How likely ``ch`` is a one-character word rather than part of a longer one.

    P(S | ch) under jieba's character HMM (B/M/E/S emission probabilities,
    trained on a segmented corpus) with the HMM's stationary state
    distribution as prior: about 0.85 for 在/把, 0.25 for 省, 0.08 for 观,
    0.02 for 革.  0.0 for characters the model never saw.
    """
    from jieba.finalseg import emit_P, trans_P

    if not _state_prior:
        prior = dict.fromkeys("BMES", 0.25)
        for _ in range(50):
            nxt = dict.fromkeys("BMES", 0.0)
            for a, row in trans_P.items():
                for b, lp in row.items():
                    nxt[b] += prior[a] * math.exp(lp)
            prior = nxt
        _state_prior.update(prior)
    weights = {s: math.exp(emit_P[s][ch]) * _state_prior[s] for s in "BMES" if ch in emit_P[s]}
    total = sum(weights.values())
    return weights.get("S", 0.0) / total if total > 0 else 0.0
