"""Deterministic synthetic corpus with the real blog's defect mix, for benchmarks.

    python bench/generate.py OUT_DIR -n N [--seed S] [--lang mix|ja|en] [--scale F]

Writes N Jekyll-like posts of about 20 to 40 KB each into ``OUT_DIR/000/``, ``OUT_DIR/001/``, … (1,000
files a folder) and a summary of what was generated in ``OUT_DIR/.bench-corpus.json`` (hidden, so
``cleaner`` never reads it). The same seed gives the same bytes; post ``i`` does not depend on ``N``,
so a corpus of 1,000 posts is the first 1,000 posts of a corpus of 10,000.

The text is made of our own words: made-up names (katakana or Latin syllables), two-word compounds
and short word lists fill phrase templates; a sentence is a head, a middle and an ending drawn from
pools of those phrases. Paragraphs therefore differ within and across posts, their character n-grams
are about as varied as real prose (which matters to a cleaner that compares n-grams), and a sentence
costs two list look-ups and one concatenation.

Defects, after ``docs/defects.md`` (rates per post unless stated):

* ~75% of posts carry 3 to 8 continuation answers, each followed by a ``---END---`` line (none between
  the original post and the first answer; most files end with the marker and no newline);
* answers repeat earlier paragraphs verbatim, with one sentence added or one changed; ~1 in 10
  restarts from the top (the title line and the opening paragraphs again);
* ~48% of answers stop mid-sentence; the next one continues the cut directly (the rest of the
  sentence), restarts with an overlap (the last few characters or words again) or repeats the whole
  paragraph; some later answers are alternative continuations of a cut already continued;
* ~8% end with ``---`` and a flattened copy of the opening cut mid-word, ~3% carry a prompt echo
  (``【既存の記事の最後の部分】`` and a flattened body), ~1% an inline marker inside a flattened line;
* ~15% of titles are cut at 40 bytes with U+FFFD, a few more cut silently or with Markdown debris;
* ~3% carry the caption ``點擊圖片看原樣大小圖片``, sometimes inside a word;
* ~3% are copies (exact or lightly edited) of an earlier post under another name.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = 1
POOL_SEED = 20250901  # the vocabulary pools are the same for every corpus seed
POOL_SIZE = 10000  # heads and middles per language
STEMS = 1 << 16  # head + middle pairs per language; a post draws ~150 of them
PER_FOLDER = 1000
MARKER = "---END---"
CAPTION = "點擊圖片看原樣大小圖片"
PROMPT_ECHO = "【既存の記事の最後の部分】"
INFO_NAME = ".bench-corpus.json"

# --- rates -----------------------------------------------------------------------------------------------
P_MARKERS = 0.75
P_CUT = 0.48  # an answer stops mid-sentence
P_FLATTENED = 0.08
P_PROMPT_ECHO = 0.03
P_INLINE_MARKER = 0.01
P_TITLE_FFFD = 0.15
P_TITLE_SILENT = 0.03
P_TITLE_DEBRIS = 0.04
P_CAPTION = 0.03
P_DUPLICATE = 0.03
P_CHATTER = 0.01  # per answer
P_RESTART_TOP = 0.10  # per answer
P_ALTERNATIVE = 0.30  # per answer after a directly continued cut
P_REGENERATE = 0.80  # per answer: retells 2 to 7 earlier paragraphs (real marker posts lose half)

# --- vocabulary: our own words -----------------------------------------------------------------------------
# Words are combined twice: into generated names and compounds (so that the character n-grams of a post
# are about as varied as in real prose, which matters to a cleaner that compares n-grams), and then into
# phrases and sentences.


def _words(text: str) -> list[str]:
    """A word list written as one string, words separated by whitespace."""
    return text.split()


JA_WORDS = _words(
    """
    市場 技術 開発 投資 戦略 製品 顧客 競争 規制 研究 設計 需要 供給 価格 品質 効率 安全
    環境 社会 経済 産業 企業 政府 地域 世界 未来 変化 成長 課題 性能 機能 計算 処理 通信
    情報 資源 電力 人材 教育 医療 物流 金融 生産 販売 契約 提携 買収 収益 利益 費用 評価
    判断 分析 予測 検証 導入 運用 管理 改善 拡大 強化 統合 分散 自動 標準 基盤 構造 体制
    方針 計画 目標 成果 実績 影響 背景 視点 基準 指標 規模 速度 精度 容量 負荷 遅延 障害
    保護 認証 監査 信頼 責任 倫理 議論 合意 協力 支援 参入 再編 転換 刷新 革新 挑戦 展開
    普及 半導体 推論 学習 言語 画像 音声 動画 検索 翻訳 端末 回路 素材 工場 拠点 店舗 農業
    建設 観光 保険 法務 広告 行政 都市 交通 住宅 食品 化学 鉄鋼 海運 航空 宇宙 気候 水素
    電池 蓄電 株価 為替 融資 債券 税制 雇用 賃金 消費 輸出 輸入 特許 訴訟 選挙 外交 防衛
    """
)
JA_SYLLABLES = _words(
    """
    ア イ カ キ ク サ シ ス タ ト ナ ニ ノ ハ ヒ フ マ ミ ム ラ リ ル レ ロ ヴ ゼ ド バ ベ パ
    ポ ガ グ ソ テ ネ メ ヨ ワ ジ ズ
    """
)
JA_TIMES = _words(
    """
    今月 先週 今年の春 第3四半期 昨年末 この数年 発表直後 来年度 今回 当初 ここ半年 年明け
    夏以降 この冬 次の決算期 週明け 先月末 この秋
    """
)
JA_ADVERBS = _words(
    """
    これまで以上に わずか数か月で 静かに 確実に 一気に 段階的に 想像以上に 着実に 大胆に
    根本から 目に見える形で じわじわと 思いのほか 早くも ひそかに 正面から
    """
)
JA_UNITS = _words("億ドル規模の %の 倍の 万件の 社の 年分の 兆円の 拠点の")
JA_VERBS = _words(
    """
    変え 押し上げ 加速させ 塗り替え 支え 高め 広げ 整え 求め 迎え 見極め 取り入れ 組み替え
    磨き上げ 結びつけ 乗り越え 位置づけ 裏付け 定着させ 浸透させ 一変させ 問い直させ 見据え
    抑え 捉え 投げかけ 引き寄せ
    """
)
JA_ENDINGS = _words(
    """
    る可能性があります。 ることになるでしょう。 ようとしています。 つつあるのです。 るはずです。
    るかもしれません。 る段階に入りました。 ることが期待されています。 ると私は見ています。
    る動きと言えるでしょう。 ざるを得ないでしょう。 ていくのではないでしょうか。 ていると言われます。
    る点が注目されます。 ていました。 たのです。 ることに成功しました。 ると発表しました。
    る狙いがあるようです。 ることを目指しています。 るとの見方が広がっています。 ていくでしょう。
    """
)
JA_HEAD_TEMPLATES = [
    "{time}、{name}の{comp}は",
    "{name}が{time}に公開した{comp}は",
    "{comp}の現場で使われる{name}は",
    "{time}の発表を見る限り、{name}は",
    "{name}と{name2}による{comp}は",
    "正直なところ、{name}の{comp}は",
    "{comp}にとって、{name}の{comp2}は",
    "個人的には、{time}の{comp}は",
    "数字だけを見れば、{name}は",
    "{comp}向けに設計された{name}は",
    "{name}を率いる{name2}氏によれば、{comp}は",
    "{number}{unit}{comp}を抱える{name}は",
    "一方で{comp}に強い{name}も",
    "{comp}が伸び悩むなか、{name}の{comp2}が",
    "もちろん{name}だけでなく、{comp}全体が",
]
JA_MID_TEMPLATES = [
    "{adverb}{comp}における{comp2}を",
    "{comp}と{comp2}の両面で{word}を",
    "{adverb}{name}の{comp}を",
    "{number}{unit}{comp}を",
    "{comp}と{comp2}をまたいで{word}を",
    "{adverb}{comp}の{word}そのものを",
    "{name2}が手がける{comp}を",
    "{comp}や{comp2}といった{word}を",
    "{time}までに{comp}を",
    "従来の{comp}ではなく{comp2}を",
]
JA_HEADING_TEMPLATES = [
    "## {comp}における{comp2}の{word}",
    "## {name}の{comp}が示すもの",
    "## {comp}はどう変わるのか",
    "### {name}と{comp}",
    "## {comp}への影響",
]
JA_TITLE_TEMPLATES = [
    "{name}の{comp}、その真意はどこにあるのか？",
    "{name}が{comp}向け{comp2}を発表：{word}の未来",
    "{comp}が変える{comp2}の{word}とは？",
    "{name}と{name2}の提携、{comp}に何をもたらすのか？",
    "{time}の{name}、{comp}に何が起きたのか",
    "{comp}の{comp2}、{name}で変わる{word}",
]
JA_LIST_TEMPLATES = ["- {name}：{comp}の{word}", "- {name}：{comp}向けの{comp2}", "- {comp}"]
JA_CHATTER = [
    "はい、承知いたしました。記事の続きを作成します。",
    "承知しました。以下に続きを記述します。",
]
JA_CLOSING = ["## まとめ", "## 今後の展望"]
JA_CATEGORIES = ["投資分析", "業界別AI活用", "技術動向", "市場レポート", "政策と規制"]
JA_TAGS = ["AI", "最新ニュース", "技術動向", "投資", "半導体", "クラウド", "エージェント", "規制", "生成AI"]
JA_AUTHORS = ["編集部", "テック取材班", "市場分析チーム"]

EN_SYLLABLES = _words(
    """
    ka lo ve ri sa to mi ne zu qua bel dor fen gri hal ion jun kes lum mar nor orb pix quil ros
    sol tes ul vin wex xan yor zel bra cor dri ent fal gor hex
    """
)
EN_SUFFIXES = ["", "", " Labs", " Systems", " AI", " Works", " Cloud", " Robotics", " Data", " Compute"]
EN_ADJECTIVES = _words(
    """
    new open large small fast slow cheap costly global local private public early late modest bold
    quiet loud steady fragile robust narrow broad hidden visible mature young dense sparse hybrid
    vertical horizontal regional national digital physical autonomous manual secure exposed lean
    heavy flexible rigid shared closed unified scattered predictable volatile measured urgent gradual
    sudden ambitious cautious efficient wasteful critical marginal core peripheral modular integrated
    crowded empty overdue premature overlooked celebrated contested proven untested rising falling
    """
)
EN_NOUNS = _words(
    """
    market chip model platform agent network budget strategy product customer rival regulator lab
    pipeline dataset benchmark cluster datacenter license contract partner supplier margin forecast
    roadmap workforce factory warehouse clinic school bank insurer retailer carrier startup investor
    board audit standard protocol interface runtime compiler kernel sensor battery grid reactor
    satellite fleet route inventory ledger payment invoice policy subsidy tariff patent lawsuit merger
    spinout division quarter pilot rollout upgrade outage backlog queue latency throughput accuracy
    footprint hospital pharmacy harbour railway airline farm mine refinery studio newsroom campus
    """
)
EN_VERBS = _words(
    """
    reshapes pressures redefines challenges extends rewrites exposes tightens loosens reorders
    undercuts strengthens complicates simplifies accelerates reframes unlocks constrains absorbs
    outpaces rivals anchors disrupts stabilises funds replaces mirrors revives sidelines delays
    doubles halves prices bundles licenses audits trims expands
    """
)
EN_ADVERBS = _words(
    """
    quietly steadily suddenly gradually visibly decisively unexpectedly already fundamentally openly
    cautiously aggressively
    """
)
EN_TIMES = [
    "This month",
    "Last week",
    "Earlier this spring",
    "In the third quarter",
    "At the end of last year",
    "Over the past few years",
    "Right after the announcement",
    "Next fiscal year",
    "This time",
    "In the first half",
    "Since the summer",
    "This winter",
]
EN_CONNECTORS = _words("while because and although so as since whereas until unless once though")
EN_HEAD_TEMPLATES = [
    "{time}, {name}’s {adj} {noun}",
    "For {adj} {noun} teams, the {noun2} from {name}",
    "{name}, working with {name2},",
    "Seen from the {noun} side, {name}’s latest {noun2}",
    "Honestly, the {adj} {noun} that {name} showed",
    "By the numbers alone, {name}",
    "In my view, the {adj} {noun}",
    "Built for {noun} work, the {adj} {noun2}",
    "According to {name2}, {name}",
    "With {number} {noun}s in place, {name}",
    "Unlike {name2}, {name}’s {noun}",
    "Each {adj} {noun}",
]
EN_MID_TEMPLATES = [
    " {adverb} {verb} the {adj} {noun} of {name2},",
    " {verb} both the {noun} and the {adj} {noun2},",
    " {adverb} {verb} {name2}’s {noun},",
    " {verb} a {number}% slice of the {adj} {noun},",
    " {verb} the {noun} across {adj} {noun2} and {noun3},",
    " now {verb} {number} {adj} {noun}s,",
    " {verb} what {name2} calls {adj} {noun},",
    " {adverb} {verb} {noun} {noun2} budgets,",
]
EN_TAIL_TEMPLATES = [
    " {connector} the {adj} {noun} {verb} the {adj2} {noun2}.",
    " {connector} {name} {verb} its {noun} within {number} quarters.",
    " {connector} every {noun} {verb} a {adj} {noun2}.",
    " {connector} the {noun} {adverb} {verb} the {noun2}.",
    " {connector} {name}’s {noun} {noun2} {verb} {adj} {noun3}s.",
    " which {name} {adverb} {verb}.",
    " at {name}, {number} {adj} {noun}s later.",
]
EN_HEADING_TEMPLATES = [
    "## The {adj} {noun} of {name}",
    "## What {name}’s {noun} tells us",
    "## How the {noun} changes",
    "### {name} and the {adj} {noun}",
    "## The impact on {noun} {noun2}s",
]
EN_TITLE_TEMPLATES = [
    "{name}’s {adj} {noun} — what is it really about?",
    "{name} launches a {adj} {noun} for {noun2} teams: the future of {noun3}",
    "How the {adj} {noun} changes {noun2} economics",
    "{name} and {name2} team up — what it means for the {noun}",
    "{time}, {name} rethinks its {noun}",
]
EN_LIST_TEMPLATES = ["- {name}: the {adj} {noun}", "- {name}: a {noun} for {noun2} teams", "- {adj} {noun}"]
EN_CHATTER = [
    "Sure, here is the continuation of the article.",
    "Certainly! Continuing from where it left off:",
]
EN_CLOSING = ["## Conclusion", "## What comes next"]
EN_CATEGORIES = ["Investment analysis", "AI in industry", "Technology trends", "Market report", "Policy"]
EN_TAGS = ["AI", "News", "Chips", "Cloud", "Agents", "Regulation", "Generative AI", "Investment"]
EN_AUTHORS = ["Editorial team", "Tech desk", "Market analysis team"]
NUMBERS = _words("3 12 25 40 75 150 300 1,200 4.5 18 7 60 2,400 9.8 11 36 480 0.5")


def _names_ja(rng: random.Random, count: int) -> list[str]:
    """Made-up company and product names: katakana, sometimes with a Latin one among them."""
    out = []
    for _ in range(count):
        word = "".join(rng.choice(JA_SYLLABLES) for _ in range(2 + int(rng.random() * 3)))
        if rng.random() < 0.3:
            word = word[:2] + "ー" + word[2:]
        out.append(word)
    return out


def _names_en(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        word = "".join(rng.choice(EN_SYLLABLES) for _ in range(2 + int(rng.random() * 2)))
        out.append(word.capitalize() + rng.choice(EN_SUFFIXES))
    return out


def _slots(lang: str, rng: random.Random) -> dict[str, Sequence[str]]:
    if lang == "ja":
        names = _names_ja(rng, 6000) + [name.replace(" ", "") for name in _names_en(rng, 1500)]
        compounds = [a + b for a in JA_WORDS for b in JA_WORDS if a != b]
        return {
            "name": names,
            "name2": names,
            "comp": compounds,
            "comp2": compounds,
            "word": JA_WORDS,
            "time": JA_TIMES,
            "adverb": JA_ADVERBS,
            "number": NUMBERS,
            "unit": JA_UNITS,
        }
    names = _names_en(rng, 6000)
    nouns = EN_NOUNS + [a + " " + b for a in EN_NOUNS for b in EN_NOUNS if a != b]  # "battery roadmap"
    return {
        "name": names,
        "name2": names,
        "adj": EN_ADJECTIVES,
        "adj2": EN_ADJECTIVES,
        "noun": nouns,
        "noun2": nouns,
        "noun3": EN_NOUNS,
        "verb": EN_VERBS,
        "adverb": EN_ADVERBS,
        "time": EN_TIMES,
        "connector": EN_CONNECTORS,
        "number": NUMBERS,
    }


def _fill(rng: random.Random, template: str, slots: dict[str, Sequence[str]]) -> str:
    values = {name: rng.choice(words) for name, words in slots.items() if "{" + name + "}" in template}
    return template.format(**values)


def _pool(
    rng: random.Random, templates: Sequence[str], slots: dict[str, Sequence[str]], size: int
) -> list[str]:
    """``size`` fillings of ``templates``, each template equally likely (repeats allowed)."""
    return [_fill(rng, rng.choice(templates), slots) for _ in range(size)]


def _stems(
    rng: random.Random,
    head_templates: Sequence[str],
    mid_templates: Sequence[str],
    slots: dict[str, Sequence[str]],
) -> list[str]:
    """``STEMS`` distinct head + middle pairs."""
    heads = _pool(rng, head_templates, slots, POOL_SIZE)
    mids = _pool(rng, mid_templates, slots, POOL_SIZE)
    seen: dict[str, None] = {}
    while len(seen) < STEMS:
        seen.setdefault(heads[int(rng.random() * len(heads))] + mids[int(rng.random() * len(mids))], None)
    return list(seen)


@dataclass(frozen=True, slots=True)
class Language:
    """The pools one language draws from. A sentence is ``stem + tail``; a stem is a head and a middle
    drawn from their own pools, joined once when the pools are built so that the inner loop is cheap."""

    code: str
    stems: list[str]
    tails: list[str]
    headings: list[str]
    titles: list[str]
    list_items: list[str]
    chatter: Sequence[str]
    closing: Sequence[str]
    categories: Sequence[str]
    tags: Sequence[str]
    authors: Sequence[str]
    excerpt: str  # format string with {subject}
    sentence_end: str
    joiner: str  # between sentences of a paragraph
    bytes_per_char: float  # rough UTF-8 size, for size planning without encoding


def build_language(code: str) -> Language:
    """Build the pools of ``code`` (``ja`` or ``en``); the same for every corpus seed."""
    rng = random.Random(f"{POOL_SEED}-{code}")
    slots = _slots(code, rng)
    if code == "ja":
        verbs = _pool(rng, ["{adverb}{verb}", "{verb}", "{verb}"], {**slots, "verb": JA_VERBS}, 600)
        return Language(
            "ja",
            _stems(rng, JA_HEAD_TEMPLATES, JA_MID_TEMPLATES, slots),
            [verb + ending for verb in verbs for ending in JA_ENDINGS],
            _pool(rng, JA_HEADING_TEMPLATES, slots, 2000),
            _pool(rng, JA_TITLE_TEMPLATES, slots, 5000),
            _pool(rng, JA_LIST_TEMPLATES, slots, 1000),
            JA_CHATTER,
            JA_CLOSING,
            JA_CATEGORIES,
            JA_TAGS,
            JA_AUTHORS,
            "{subject}について詳細に分析します。",
            "。",
            "",
            2.8,
        )
    return Language(
        "en",
        _stems(rng, EN_HEAD_TEMPLATES, EN_MID_TEMPLATES, slots),
        _pool(rng, EN_TAIL_TEMPLATES, slots, 20000),
        _pool(rng, EN_HEADING_TEMPLATES, slots, 2000),
        _pool(rng, EN_TITLE_TEMPLATES, slots, 5000),
        _pool(rng, EN_LIST_TEMPLATES, slots, 1000),
        EN_CHATTER,
        EN_CLOSING,
        EN_CATEGORIES,
        EN_TAGS,
        EN_AUTHORS,
        "An in-depth look at ‘{subject}’.",
        ".",
        " ",
        1.0,
    )


# --- one post ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Stats:
    """What the generator put into the corpus, for the summary file."""

    posts: int = 0
    bytes: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, int]:
        return {"posts": self.posts, "bytes": self.bytes, **dict(sorted(self.counts.items()))}


@dataclass(slots=True)
class Cut:
    """A paragraph the last answer stopped in the middle of."""

    full: str  # the paragraph as it would have been
    at: int  # characters kept before the cut
    said_at: int = -1  # once continued: where the full paragraph stands among the paragraphs said


class PostWriter:
    """Builds one post's text. All randomness comes from the corpus ``rng``."""

    def __init__(self, rng: random.Random, lang: Language, stats: Stats) -> None:
        self.rng = rng
        self.r = rng.random
        self.lang = lang
        self.stats = stats
        self.units: list[str] = []  # paragraphs and lines, joined by blank lines
        self.said: list[str] = []  # prose paragraphs in the order they were first written
        self.size = 0.0  # estimated bytes so far

    # -- small pieces --
    def pick(self, seq: Sequence[str]) -> str:
        return seq[int(self.r() * len(seq))]

    def sentence(self) -> str:
        lang, r = self.lang, self.r
        return lang.stems[int(r() * len(lang.stems))] + lang.tails[int(r() * len(lang.tails))]

    def paragraph(self) -> str:
        """3 to 6 sentences (inlined :meth:`sentence`: this is the generator's inner loop)."""
        lang, r = self.lang, self.r
        stems, tails = lang.stems, lang.tails
        ns, nt = len(stems), len(tails)
        count = 3 + int(r() * 4)
        return lang.joiner.join([stems[int(r() * ns)] + tails[int(r() * nt)] for _ in range(count)])

    def add(self, unit: str, prose: bool = False) -> None:
        self.units.append(unit)
        self.size += len(unit) * self.lang.bytes_per_char + 2
        if prose:
            self.said.append(unit)

    def sentences_of(self, text: str) -> list[str]:
        end = self.lang.sentence_end
        parts = text.split(end + self.lang.joiner) if self.lang.joiner else text.split(end)
        out = [p + end for p in parts[:-1]]
        if parts[-1]:
            out.append(parts[-1])
        return out

    def variant(self, text: str) -> str:
        """A regenerated version: verbatim, one sentence added, or one changed."""
        x = self.r()
        if x < 0.6:
            self.stats.counts["repeat_verbatim"] += 1
            return text
        sentences = self.sentences_of(text)
        at = int(self.r() * (len(sentences) + (1 if x < 0.9 else 0)))
        if x < 0.9:
            self.stats.counts["repeat_sentence_added"] += 1
            sentences.insert(at, self.sentence())
        else:
            self.stats.counts["repeat_sentence_changed"] += 1
            sentences[min(at, len(sentences) - 1)] = self.sentence()
        return self.lang.joiner.join(s.rstrip(" ") for s in sentences)

    def cut_point(self, text: str) -> int:
        """Where an output limit stops ``text``: inside its last sentence (at a word for Latin text)."""
        last = self.sentences_of(text)[-1]
        start = len(text) - len(last)
        if self.lang.code == "ja":
            return start + 3 + int(self.r() * max(1, len(last) - 6))
        spaces = [i for i, ch in enumerate(last) if ch == " " and 8 < i < len(last) - 4]
        if not spaces:
            return start + len(last) // 2
        return start + spaces[int(self.r() * len(spaces))]

    def flattened(self, units: Sequence[str], limit: int) -> str:
        """Units joined with spaces, cut at ``limit`` characters (mid-word)."""
        text = " ".join(u for u in units if u != MARKER)
        return text[: max(20, limit)]

    # -- the original post --
    def opening(self, title: str, target: float) -> None:
        x = self.r()
        self.add(title if x < 0.5 else (f"**{title}**" if x < 0.8 else f"# {title}"))
        listed = self.r() < 0.3
        since_heading = 0
        while self.size < target:
            if since_heading >= 2 and self.r() < 0.3:
                self.add(self.pick(self.lang.headings))
                since_heading = 0
                if listed and self.r() < 0.3:
                    count = 3 + int(self.r() * 3)
                    self.add("\n".join(self.pick(self.lang.list_items) for _ in range(count)))
                    listed = False
            self.add(self.paragraph(), prose=True)
            since_heading += 1
        if self.r() < 0.5:
            self.add(self.pick(self.lang.closing))
            self.add(self.paragraph(), prose=True)

    # -- continuation answers --
    def answer(self, cut: Cut | None, continued: Cut | None, budget: float, first: bool) -> Cut | None:
        """Append one answer of about ``budget`` bytes; return the cut it ends in, if any.

        ``cut`` is the cut the previous answer ended in; ``continued`` the last cut an answer continued.
        """
        stats, r = self.stats.counts, self.r
        start_size = self.size
        alternative = False
        if cut is None and continued is not None and r() < P_ALTERNATIVE:
            # another continuation of a cut already continued: starts mid-sentence, then retells
            stats["alternative"] += 1
            alternative = True
            tail = self.pick(self.lang.tails).lstrip(" ")
            self.add(tail + self.lang.joiner + self.paragraph(), prose=True)
        elif cut is not None:
            x = r()
            if x < 0.55:
                stats["cut_continued"] += 1
                self.add(cut.full[cut.at :].lstrip(" "))
            elif x < 0.85:
                stats["cut_overlap"] += 1
                self.add(cut.full[self.overlap(cut) :])
            else:
                stats["cut_restarted_whole"] += 1
                self.add(cut.full)
            cut.said_at = len(self.said)
            self.said.append(cut.full)
        elif r() < P_CHATTER:
            stats["chatter"] += 1
            self.add(self.pick(self.lang.chatter))
        x = r()
        if not first and x < P_RESTART_TOP:
            stats["restart_top"] += 1
            self.add(self.units[0])
            for text in self.said[: 2 + int(r() * 3)]:
                self.add(self.variant(text))
        elif alternative or x < P_REGENERATE:
            stats["regenerated_block"] += 1
            count = 2 + int(r() * 6)
            if alternative and continued is not None:
                begin = continued.said_at + 1  # retell what followed the cut, at more length
            else:
                begin = int(r() * max(1, len(self.said) - count))
            for text in self.said[begin : begin + count]:
                self.add(self.variant(text))
        while self.size - start_size < budget:
            if r() < 0.12:
                self.add(self.pick(self.lang.headings))
            self.add(self.paragraph(), prose=True)
        if r() < P_CUT and not self.units[-1].startswith(("#", "-", "*")):
            stats["cut"] += 1
            full = self.units.pop()
            at = self.cut_point(full)
            self.units.append(full[:at])
            if self.said and self.said[-1] is full:
                self.said.pop()  # it was only half said
            return Cut(full, at)
        return None

    def overlap(self, cut: Cut) -> int:
        """Where a restart with an overlap begins: a few characters (Japanese) or words (Latin) back."""
        if self.lang.code == "ja":
            return max(0, cut.at - 1 - int(self.r() * 5))
        back = cut.full.rfind(" ", 0, cut.at - 1)
        if self.r() < 0.5 and back > 0:
            back = cut.full.rfind(" ", 0, back) if cut.full.rfind(" ", 0, back) > 0 else back
        return back + 1 if back >= 0 else 0


def title_field(rng: random.Random, lang: Language, stats: Counter[str]) -> tuple[str, str]:
    """(the full title, the title as the front matter holds it)."""
    title = lang.titles[int(rng.random() * len(lang.titles))]
    x = rng.random()
    if x < P_TITLE_FFFD:
        for _ in range(40):  # most Japanese titles split a character at byte 40, few English ones do
            cut = title.encode("utf-8")[:40].decode("utf-8", errors="replace")
            if cut.endswith("\ufffd"):
                stats["title_fffd"] += 1
                return title, cut
            title = lang.titles[int(rng.random() * len(lang.titles))]
        stats["title_silent_cut"] += 1
        return title, title.encode("utf-8")[:40].decode("utf-8", errors="ignore")
    if x < P_TITLE_FFFD + P_TITLE_SILENT:
        stats["title_silent_cut"] += 1
        return title, title.encode("utf-8")[:40].decode("utf-8", errors="ignore")
    if x < P_TITLE_FFFD + P_TITLE_SILENT + P_TITLE_DEBRIS:
        stats["title_debris"] += 1
        return title, ("# " if rng.random() < 0.6 else "**") + title
    return title, title


def front_matter(rng: random.Random, lang: Language, shown_title: str, subject: str) -> tuple[str, str]:
    """(front matter text ending in ``---\\n``, the date ``YYYY-MM-DD`` for the file name)."""
    day = int(rng.random() * 365)
    month, mday = _month_day(day)
    seconds = int(rng.random() * 86400)
    date = f"2025-{month:02d}-{mday:02d}"
    clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    count = 3 + int(rng.random() * 4)
    tags = ", ".join(f'"{lang.tags[int(rng.random() * len(lang.tags))]}"' for _ in range(count))
    category = lang.categories[int(rng.random() * len(lang.categories))]
    author = lang.authors[int(rng.random() * len(lang.authors))]
    excerpt = lang.excerpt.format(subject=subject)
    text = (
        "---\nlayout: post\n"
        f'title: "{shown_title}"\n'
        f"date: {date} {clock} +0000\n"
        f'categories: ["{category}"]\n'
        f"tags: [{tags}]\n"
        f'author: "{author}"\n'
        f'excerpt: "{excerpt}"\n'
        f"reading_time: {4 + int(rng.random() * 20)}\n"
        "---\n"
    )
    return text, date


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_day(day: int) -> tuple[int, int]:
    for month, days in enumerate(_MONTH_DAYS, start=1):
        if day < days:
            return month, day + 1
        day -= days
    return 12, 31


def make_post(rng: random.Random, lang: Language, stats: Stats, scale: float = 1.0) -> tuple[str, str]:
    """(the whole text of one new post, its date); ``scale`` multiplies its length (20 to 40 KB at 1)."""
    counts = stats.counts
    r = rng.random
    title, shown = title_field(rng, lang, counts)
    front, date = front_matter(rng, lang, shown, title)
    target = (20_000 + r() * 20_000) * scale - len(front)
    writer = PostWriter(rng, lang, stats)
    if r() < P_MARKERS:
        counts["posts_with_markers"] += 1
        answers = 3 + int(r() * 6)
        writer.opening(title, target * (0.25 + r() * 0.15))
        budget = (target - writer.size) / answers
        flat_at = answers - 1 if r() < P_FLATTENED else -1
        echo_at = int(r() * answers) if r() < P_PROMPT_ECHO else -1
        cut: Cut | None = None
        continued: Cut | None = None
        for number in range(answers):
            if cut is not None:
                continued = cut
            # the original post and its first answer have no marker between them
            cut = writer.answer(cut, continued, budget * (0.5 + r()), first=number == 0)
            if number == echo_at:
                counts["prompt_echo"] += 1
                writer.add(PROMPT_ECHO)
                writer.add(writer.flattened(writer.units[:-1], 3000))
                cut = None
            if number == flat_at:
                counts["flattened"] += 1
                writer.add("---")
                flat = writer.flattened(writer.units[: 6 + int(r() * 6)], 600 + int(r() * 1500))
                if r() < P_INLINE_MARKER / P_FLATTENED:
                    counts["inline_marker"] += 1
                    middle = len(flat) // 2
                    flat = f"{flat[:middle]} {MARKER} {flat[middle:]}"
                writer.add(flat)
                cut = None
            writer.add(MARKER)
            counts["markers"] += 1
    else:
        writer.opening(title, target)
    if r() < P_CAPTION:
        counts["caption"] += 1
        place = 1 + int(r() * (len(writer.units) - 1))
        unit = writer.units[place]
        if r() < 0.35 and len(unit) > 20 and not unit.startswith(("#", "-", "*")) and unit != MARKER:
            counts["caption_inside_word"] += 1
            at = 5 + int(r() * (len(unit) - 10))
            writer.units[place] = f"{unit[:at]}\n{CAPTION}\n{unit[at:]}"
        else:
            writer.units.insert(place, CAPTION)
    body = "\n\n".join(writer.units)
    if writer.units[-1] == MARKER:
        if r() < 0.2:
            body += "\n"
    else:
        body += "\n"
    lead = "\n" if r() < 0.7 else ""
    return front + lead + body, date


def edited_copy(rng: random.Random, text: str, counts: Counter[str]) -> str:
    """An exact or lightly edited copy of an earlier post's text."""
    if rng.random() < 0.5:
        counts["duplicate_exact"] += 1
        return text
    counts["duplicate_edited"] += 1
    end = text.find("\n---\n", 4)
    front, body = text[: end + 5], text[end + 5 :]
    units = body.split("\n\n")
    if len(units) > 4:
        del units[2 + int(rng.random() * (len(units) - 3))]
    front = front.replace("date: 2025-", "date: 2024-", 1)
    return front + "\n\n".join(units)


# --- the corpus ------------------------------------------------------------------------------------------


class _FileWriter:
    """Writes files on a background thread, so that file creation (often the slower half on a busy
    disk) overlaps with making the next posts. The queue is bounded: the corpus is never held."""

    def __init__(self, out_dir: Path, depth: int = 128) -> None:
        self.out_dir = out_dir
        self.queue: queue.Queue[tuple[Path, bytes] | None] = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="bench-writer", daemon=True)

    def __enter__(self) -> _FileWriter:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None and exc[0] is None:
            raise self.error

    def put(self, path: Path, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((path, data))

    def _run(self) -> None:
        made: set[Path] = set()
        while (item := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain so that put() never blocks forever
            path, data = item
            try:
                if path.parent not in made:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    made.add(path.parent)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                try:
                    os.write(fd, data)
                finally:
                    os.close(fd)
            except OSError as error:
                self.error = error


def post_path(out_dir: Path, index: int, date: str) -> Path:
    return out_dir / f"{index // PER_FOLDER:03d}" / f"{date}-{index:07d}.md"


def generate(
    out_dir: Path,
    n: int,
    seed: int = 1,
    lang: str = "mix",
    progress: Callable[[int], None] | None = None,
    scale: float = 1.0,
) -> dict[str, object]:
    """Write ``n`` posts into ``out_dir``; return (and store) the summary. Streams: one post in memory,
    plus the last few kept for cross-file copies."""
    if lang not in {"mix", "ja", "en"}:
        raise ValueError(f"unknown language mix: {lang}")
    rng = random.Random(seed)
    languages = {code: build_language(code) for code in ("ja", "en")}
    stats = Stats()
    recent: deque[str] = deque(maxlen=32)
    start = time.perf_counter()
    with _FileWriter(out_dir) as writer:
        for index in range(n):
            code = lang if lang != "mix" else ("ja" if rng.random() < 0.65 else "en")
            if recent and rng.random() < P_DUPLICATE:
                text = edited_copy(rng, recent[int(rng.random() * len(recent))], stats.counts)
                date = "2025-12-31"
            else:
                text, date = make_post(rng, languages[code], stats, scale)
                recent.append(text)
                stats.counts[f"lang_{code}"] += 1
            data = text.encode("utf-8")
            writer.put(post_path(out_dir, index, date), data)
            stats.posts += 1
            stats.bytes += len(data)
            if progress is not None and (index + 1) % 1000 == 0:
                progress(index + 1)
    seconds = time.perf_counter() - start
    info: dict[str, object] = {
        "generator_version": GENERATOR_VERSION,
        "n": n,
        "seed": seed,
        "lang": lang,
        **({"scale": scale} if scale != 1.0 else {}),
        "stats": stats.as_dict(),
    }
    # the summary file holds no timing, so that the same arguments give the same bytes everywhere
    (out_dir / INFO_NAME).write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return {**info, "seconds": round(seconds, 3), "posts_per_s": round(n / seconds, 1) if seconds else None}


def read_info(out_dir: Path) -> dict[str, object] | None:
    """The summary a previous :func:`generate` left in ``out_dir``, if any."""
    try:
        loaded: dict[str, object] = json.loads((out_dir / INFO_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("-n", type=int, default=1000, help="number of posts (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--lang", choices=("mix", "ja", "en"), default="mix", help="languages (default mix)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="post length factor (default 1: 20 to 40 KB; 0.1: 2 to 4 KB)"
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("-n must be >= 0")

    def progress(done: int) -> None:
        if done % 10_000 == 0:
            print(f"  {done} posts", file=sys.stderr)

    info = generate(args.out_dir, args.n, args.seed, args.lang, progress, args.scale)
    stats = info["stats"]
    assert isinstance(stats, dict)
    print(
        f"wrote {args.n} posts, {stats['bytes'] / 1e6:.1f} MB, to {args.out_dir} "
        f"in {info['seconds']} s ({info['posts_per_s']} posts/s)"
    )
    print(json.dumps(stats, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
