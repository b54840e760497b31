"""Deterministic synthetic articles for tests: our own words, combined so that paragraphs differ.

Articles on one topic share vocabulary and subject, as real posts about one piece of news do, but not
their sentences.
"""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS_JA = [
    "新しい動画生成モデル",
    "大手クラウド各社",
    "国内の製造業",
    "半導体メーカー",
    "規制当局",
    "開発者コミュニティ",
]
VERBS_JA = [
    "市場の期待を大きく上回る成果を示した",
    "競合との差を着実に広げつつある",
    "コストと性能の両立に挑んでいる",
    "現場の働き方を静かに変え始めている",
    "慎重な姿勢を崩していない",
    "次の一手を模索している",
    "利用者の声を製品に反映させてきた",
    "長期的な投資計画を発表した",
]
ASIDES_JA = [
    "正直なところ",
    "個人的には",
    "数字だけを見れば",
    "歴史を振り返ると",
    "現場の声を聞く限り",
    "投資家の視点では",
]
ENDS_JA = [
    "と感じています。",
    "と言えるでしょう。",
    "のは間違いありません。",
    "のかもしれません。",
    "と私は見ています。",
]

SUBJECTS_EN = [
    "The new video model",
    "Large cloud providers",
    "Local manufacturers",
    "Chip makers",
    "Regulators",
    "Open-source teams",
]
VERBS_EN = [
    "beat the market's expectations",
    "widened the gap with rivals",
    "balanced cost against performance",
    "changed how teams work",
    "kept a cautious stance",
    "looked for the next move",
    "listened to their users",
    "announced a long-term plan",
]
ASIDES_EN = [
    "Frankly",
    "In my view",
    "On the numbers alone",
    "Looking back",
    "From what engineers say",
    "For investors",
]


def sentence(rng: random.Random, lang: str, topic: int) -> str:
    if lang == "ja":
        subject = SUBJECTS_JA[(topic + rng.randrange(2)) % len(SUBJECTS_JA)]
        scale = rng.randrange(2, 999)
        aside, verb, end = rng.choice(ASIDES_JA), rng.choice(VERBS_JA), rng.choice(ENDS_JA)
        return f"{aside}、{subject}は{scale}億円の規模で{verb}{end}"
    subject = SUBJECTS_EN[(topic + rng.randrange(2)) % len(SUBJECTS_EN)]
    users = rng.randrange(2, 999)
    return f"{rng.choice(ASIDES_EN)}, {subject.lower()} with {users} million users {rng.choice(VERBS_EN)}."


def paragraph(rng: random.Random, lang: str, topic: int, sentences: int = 4) -> str:
    joiner = "" if lang == "ja" else " "
    return joiner.join(sentence(rng, lang, topic) for _ in range(sentences))


def article(seed: int, lang: str = "ja", topic: int = 0, paragraphs: int = 8, title: str = "") -> str:
    """A clean article with front matter: ``paragraphs`` distinct paragraphs, blank lines between."""
    rng = random.Random(seed)
    title = title or (
        f"記事{seed}：話題{topic}の行方" if lang == "ja" else f"Article {seed}: where topic {topic} goes"
    )
    paras = []
    seen = set()
    while len(paras) < paragraphs:
        para = paragraph(rng, lang, topic)
        if para not in seen:
            seen.add(para)
            paras.append(para)
    front = f'---\nlayout: post\ntitle: "{title}"\ndate: 2025-09-{1 + seed % 28:02d} 10:00:00 +0000\n---\n\n'
    return front + "\n\n".join(paras) + "\n"


def body(text: str) -> str:
    """The body of an article made by :func:`article`."""
    return text.split("\n---\n", 1)[1]


def write_posts(root: Path, n: int) -> int:
    """Write ``n`` short posts into ``root/00/``, ``root/01/``, … (500 a folder): every other one with
    a ``---END---`` continuation that repeats its last paragraph; one in 40 an exact copy of the post 7
    before it and one in 40 an edited copy (a sentence added) of the post 11 before it. Returns how many
    copies were planted."""
    planted = 0
    texts: list[str] = []
    for i in range(n):
        lang = "ja" if i % 3 else "en"
        rng = random.Random(10_000 + i)
        if i % 40 == 39 and i >= 7:
            text = texts[i - 7]
            planted += 1
        elif i % 40 == 19 and i >= 11:
            head, _, tail = texts[i - 11].rpartition("\n\n")
            text = head + "\n\n" + paragraph(rng, lang, i % 6, 1) + tail
            planted += 1
        else:
            text = article(i, lang, i % 6, paragraphs=5)
            if i % 2:
                last = text.rstrip("\n").rsplit("\n\n", 1)[-1]
                more = paragraph(rng, lang, i % 6)
                text = text.rstrip("\n") + f"\n\n---END---\n\n{last}\n\n{more}\n\n---END---"
        texts.append(text)
        folder = root / f"{i // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"post-{i:04d}.md").write_text(text, encoding="utf-8")
    return planted
