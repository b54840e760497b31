"""Properties, with hypothesis: the engine never raises, a second run changes nothing, no input
sentence is lost without a finding that names it, and clean input passes through byte for byte."""

from __future__ import annotations

import random
from pathlib import Path

import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cleaner import clean_bytes, clean_text
from cleaner import patterns as p
from cleaner.decoding import normalise_newlines
from cleaner.evaluate import sentences
from cleaner.options import DEFAULT_MARKER
from cleaner.read import ReadError, split_front_matter

from .factory import article, body, paragraph

MARKERS = ["---END---", "  ---END---  ", "-----END-----", "--- END ---"]


@st.composite
def continued_articles(draw: st.DrawFn) -> str:
    """An article as the continuation job leaves it: blocks that repeat, cut, restart and flatten."""
    seed = draw(st.integers(0, 10_000))
    lang = draw(st.sampled_from(["ja", "en"]))
    rng = random.Random(seed)
    text = article(seed, lang=lang, paragraphs=draw(st.integers(1, 6)))
    head, _, rest = text.partition("\n---\n")
    paras = [line for line in rest.split("\n") if line.strip()]
    out = list(paras)
    for op in draw(
        st.lists(st.sampled_from(["repeat", "cut", "new", "flatten", "fuller", "chatter"]), max_size=6)
    ):
        out.append(draw(st.sampled_from(MARKERS)))
        if op == "repeat":
            out.extend(rng.sample(paras, k=min(len(paras), rng.randrange(1, 3))))
        elif op == "cut":
            victim = rng.choice(out[:-1]) if out[:-1] else paras[0]
            cut = rng.randrange(1, max(2, len(victim)))
            out.insert(len(out) - 1, victim[:cut])
            out.append(victim[cut:] if rng.random() < 0.5 else victim)
        elif op == "new":
            out.append(paragraph(rng, lang, topic=1))
        elif op == "flatten":
            out.append("---")
            out.append(" ".join(paras)[: rng.randrange(10, 400)])
        elif op == "fuller":
            out.append(
                rng.choice(paras) + ("さらに一文を加えます。" if lang == "ja" else " One more sentence.")
            )
        else:
            out.append(
                "はい、承知いたしました。続きを書きます。"
                if lang == "ja"
                else "Sure, here is the continuation."
            )
    ending = draw(st.sampled_from(["", "\n", "\n---END---"]))
    return head + "\n---\n\n" + "\n\n".join(out) + ending


def _key(text: str) -> str:
    return p.compare_key(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(continued_articles())
def test_second_run_changes_nothing(text: str) -> None:
    once = clean_text(text)
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert not twice.changed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(continued_articles())
def test_no_sentence_lost_without_a_finding(text: str) -> None:
    result = clean_text(text)
    said = _key(result.text)
    recorded = _key("\n".join(f.passage for f in result.findings))
    for sentence in sentences(text.partition("\n---\n")[2]):
        if p.compare_key(sentence) in said or sentence in said:
            continue
        assert sentence in recorded, f"lost without a record: {sentence!r}"


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(["ja", "en"]), st.integers(1, 8))
def test_clean_articles_pass_through_byte_identical(seed: int, lang: str, paragraphs: int) -> None:
    data = article(seed, lang=lang, paragraphs=paragraphs).encode("utf-8")
    out, findings = clean_bytes(data)
    assert out is data
    assert findings == ()
    crlf = data.replace(b"\n", b"\r\n")
    assert clean_bytes(crlf)[0] is crlf


TOKENS = st.one_of(
    st.sampled_from(list("あいう。、「」ー！？abc .\n\t#*-|>`")),
    st.sampled_from(
        [
            "---END---",
            "\n---\n",
            "---\ntitle: x\n---\n",
            "點擊圖片看原樣大小圖片",
            "【既存の記事の最後の部分】",
        ]
    ),
    st.characters(codec="utf-8"),
)
TEXT = st.lists(TOKENS, max_size=200).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
@example("---END---！【既存の記事の最後の部分】")  # the header went only in the second run
@example("點擊圖片看原樣大小圖片\rあ")  # a boilerplate line ended by a lone \r
def test_arbitrary_text_never_raises_and_is_stable(text: str) -> None:
    """Bad input may be refused with a ReadError (one line, for the CLI to print); nothing else."""
    try:
        once = clean_text(text)
    except ReadError as error:
        assert error.message and "\n" not in error.message
        return
    assert clean_text(once.text).text == once.text
    said = _key(once.text)
    recorded = _key("\n".join(f.passage for f in once.findings))
    body = split_front_matter(normalise_newlines(text)[0])[1]  # a lone \r ends a line, as in the reader
    for sentence in sentences(regex.sub(DEFAULT_MARKER, "\n", body)):  # each marker is a finding of its own
        assert sentence in said or sentence in recorded, f"lost without a record: {sentence!r}"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise_unexpectedly(data: bytes) -> None:
    try:
        out, _ = clean_bytes(data)
    except ReadError:
        return
    assert clean_bytes(out)[0] == out


def test_body_helper_roundtrip() -> None:
    assert body(article(1)).startswith("\n")


def test_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Sets of strings iterate in an order set by PYTHONHASHSEED; no decision may depend on it.

    This post once came out with its paragraphs in a different order in different worker processes.
    """
    import os
    import subprocess
    import sys

    text = article(26, lang="en", topic=1, paragraphs=40)
    paras = text.split("\n\n")
    text = text.rstrip("\n") + "\n\n---END---\n\n" + "\n\n".join(paras[3:9]) + "\n---END---"
    source = tmp_path / "post.md"
    source.write_text(text, encoding="utf-8")
    code = (
        "import sys; from cleaner import clean_bytes; "
        "sys.stdout.buffer.write(clean_bytes(open(sys.argv[1], 'rb').read())[0])"
    )
    outputs = set()
    for seed in range(8):
        env = dict(os.environ, PYTHONHASHSEED=str(seed))
        command = [sys.executable, "-c", code, str(source)]
        run = subprocess.run(command, env=env, capture_output=True, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1
