"""Every regex and character class of the engine, named and commented, in one place.

All patterns use the ``regex`` module for Unicode properties. None of them nests quantifiers, so none
can backtrack exponentially; ``bench/hostile.py`` times them on long hostile input (markers, runs of one
character, megabyte lines) and ``tests/test_bad_input.py`` keeps a few such cases in the suite.
"""

from __future__ import annotations

import functools

import regex

# --- sentences ---------------------------------------------------------------------------------------

#: Characters that end a sentence, in CJK and Latin text.
SENTENCE_END = "。．！？!?.…"
#: Closing brackets and quotes that may follow a sentence end (``…だ。」``).
CLOSERS = "」』）)】〕］]\"'”’》〉*_"

#: The end of a sentence: end marks and any closers after them. A Latin full stop ends a sentence only
#: before a space and a capital, so that ``2.5`` or ``e.g. this`` do not split, and never after a
#: lone number of up to three digits, so that list numbering (``**2. 技術陳腐化**``) does not split.
SENTENCE_END_MARK = regex.compile(
    r"[。．！？!?…]+[" + regex.escape(CLOSERS) + r"]*"
    r"|(?<!(?:^|[\s*_#(\[])\d{1,3})\.[" + regex.escape(CLOSERS) + r"]*(?=\s+[\p{Lu}\p{Lo}\p{N}\"“'‘(\[#*])"
)

#: Markdown structure inside a line of prose: what a flattened copy leaves of a heading, a bold
#: pseudo-heading or a list item (``… ### 各ステークホルダーへ``, ``… **1. 電力問題** まず、…``).
INLINE_STRUCTURE = regex.compile(r"(?:^|\s)(?:#{1,6}\s|\*\*[^*\n]{1,80}\*\*(?:\s|$)|(?:[-*+]|\d{1,3}[.)])\s)")

#: Whitespace right after a CJK character inside one line: where a flattened copy joined two lines
#: (``…を探る 「AIエージェントが…``, ``…なったのか Salesforceの…``). CJK prose puts no space there.
FLATTENED_JOIN = regex.compile(r"(?<=[^\x00-\x7f\s])\s+(?=\S)")

#: The characters that end a line cleanly: a sentence end, a closer (a heading-like phrase in brackets
#: or emphasis) or a colon. A set, not a regex: a search anchored at the end scans the whole line.
CLEAN_END_CHARS = frozenset(SENTENCE_END + CLOSERS + ":：;；")

# --- structure ---------------------------------------------------------------------------------------

#: Lines that are Markdown structure rather than prose: headings, lists, tables, quotes, fences,
#: images, HTML, link-only lines. They are compared only for exact repeats and never stitched.
STRUCTURAL = regex.compile(
    r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|\||>|```|~~~|!\[|<[A-Za-z/!]|\[[^\]]*\]\([^)]*\)\s*$)"
)
#: A list item: regenerated like a paragraph, so it is compared like one (but never stitched or cut).
LIST_ITEM = regex.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")
#: A thematic break such as ``---`` or ``***``; around a flattened copy it dangles.
RULE = regex.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
#: A fenced code block delimiter; text inside fences is never touched.
FENCE = regex.compile(r"^\s*(?:```|~~~)")

# --- article structure (cleaner/structure) ----------------------------------------------------------

#: A Markdown ATX heading: its marks and its text.
HEADING = regex.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t]*$")
#: A heading marked as the continuation of an earlier section: ``### 4. 示唆（続き）``, ``(continued)``.
CONTINUED_HEADING = regex.compile(
    r"\s*[（(]\s*(?:続き|続く|つづき|continued|cont\.?)\s*[)）]\s*", regex.IGNORECASE
)
#: The section number of a heading (``7.``, ``7.2.``, ``第3章``), dropped when headings are compared so
#: that a renumbered regeneration (``### 7. 示唆`` → ``### 8. 示唆``) is the same section.
SECTION_NUMBER = regex.compile(r"^(?:\d{1,3}(?:[.．]\d{1,3})*[.．:：)]?|第\d{1,3}[章節部])\s*")
#: A line that is only a bold lead-in (``**交通の再定義：バスは誰のためにあるのか**``), a heading in effect.
BOLD_LINE = regex.compile(r"^\s*\*\*[^*\n]+\*\*\s*[:：]?\s*$")
#: A heading mark inside a line: a flattened copy ran the next heading into this line.
INNER_HEADING_MARK = regex.compile(r"(?:^|\s)#{1,6}\s")
#: Footer lines of the blog's structured format: a list item that is a link, a link-only line (optionally
#: followed by an arrow), a kramdown attribute line ``{: .consulting-cta-link}``, a heading that is a
#: link (a book), an affiliate or other ``※`` note, possibly in italics.
FOOTER_LINE = regex.compile(
    r"^\s*(?:"
    r"(?:[-*+]|\d+[.)])\s+\[[^\]\n]+\]\([^)\n]+\)\s*\S{0,3}\s*"  # - [title](/link/)
    r"|\[[^\]\n]+\]\([^)\n]+\)\s*(?:\S{0,3}|\{:\s*[^}\n]*\})\s*"  # [Amazonで詳しく見る →](https://…)
    r"|\{:\s*[^}\n]*\}\s*"  # {: .consulting-cta-link}
    r"|#{1,6}\s+\[[^\]\n]+\]\([^)\n]+\)\s*"  # ### [book title](https://…)
    r"|[*_]?\s*※[^\n]{0,200}"  # *※ 本ページのリンクには…*
    r")$"
)
#: What only a post's end footer holds: a kramdown attribute (the call to action's link) or a ``※`` note.
FOOTER_END_LINE = regex.compile(r"\{:\s*\.[^}\n]*\}|^\s*[*_]?\s*※")
#: Headings of footer sections that carry no link of their own in every copy (the CTA's text can be a
#: sentence). Named here so a user's blog can add its own; structure alone decides most footers.
FOOTER_HEADINGS: tuple[str, ...] = (
    "あわせて読みたい",
    "関連記事",
    "この記事に関連するおすすめ書籍",
    "おすすめ書籍",
    "Related articles",
    "Related posts",
    "Further reading",
)

#: Two characters across a removed line that belong to one word: katakana (``ビジ``/``ネス``), Latin
#: letters or digits (``busi``/``ness``).
SAME_SCRIPT_SPLIT = regex.compile(r"^(?:[\p{Katakana}ー]{2}|[A-Za-z0-9]{2})$")
#: Two kanji (a compound such as ``変革`` cut in two), or a kanji and its okurigana.
KANJI_PAIR = regex.compile(r"^\p{Han}[\p{Han}\p{Hiragana}]$")
#: A continuation marker cut short (``---END``, ``---EN``, ``---E``): at the very end of a body, on a
#: line of its own or after the last sentence; the full marker is handled by the marker pattern.
# (each run starts only where it cannot be longer, and runs do not give back: a search over a body with
# a long run of dashes or spaces stays linear; as first written it was quadratic: 11 s on 20,000 dashes)
CUT_MARKER_END = regex.compile(r"(?<![ \t])[ \t]*+(?<!-)-{3,}+[ \t]*+(?:END?|E)[ \t]*+-?[ \t]*+\s*+\Z")
#: The same on a line of its own inside the body (``---END`` followed by the next answer).
CUT_MARKER_LINE = regex.compile(r"^[ \t]*-{3,}[ \t]*(?:END|EN)[ \t]*-?[ \t]*$")
#: A marker cut short right before a full one on the same line (``…です。 ---END ---END---``): the marker
#: pattern would take ``---END ---`` for a marker and leave ``END---`` in the text.
CUT_BEFORE_MARKER = regex.compile(r"(?<!-)-{3,}+[ \t]*+(?:END|EN|E)[ \t]*+(?=-{3,}+[ \t]*+END[ \t]*+-{2,})")
#: The model quoting its prompt inside a sentence: ``既存の記事でも触れたように、``,
#: ``既存の記事の最後の部分で述べた通り``, ``As mentioned in the existing article,``. Removed where the
#: sentence stands without it; elsewhere (:data:`PROMPT_QUOTE_ANY`) only reported.
PROMPT_QUOTE = regex.compile(
    r"(?:既存の記事|元の記事|前回の記事)(?:の最後の部分|の冒頭|の中)?(?:で|において|でも|にも|の中でも)?も?"
    r"(?:少し|簡単に|すでに)?"
    r"(?:(?:触れ|述べ|紹介し|言及し|解説し|指摘し|説明し|書い)(?:た|ました)|あった)"
    r"(?:ように|とおり|通り|が|けれど|けど)[、，,]\s*"
    r"|\b[Aa]s (?:mentioned|noted|discussed|described|said) in the (?:existing|original|previous) article,\s*"
)
PROMPT_QUOTE_ANY = regex.compile(r"既存の記事|[Tt]he existing article")

#: Kanji and katakana words that open a Japanese sentence when a comma follows them (``実際、``): a line
#: that starts so is a new sentence, even after a line that stopped on a particle.
SENTENCE_OPENERS_KANJI: tuple[str, ...] = (
    "実際", "例えば", "一方", "特に", "確かに", "正直", "正直なところ", "結局", "現在", "今後", "将来",
    "最後に", "最初に", "第一に", "第二に", "第三に", "同時に", "加えて", "要するに", "本来", "当然",
    "具体的には", "逆に", "反対に", "以上", "今回", "個人的には", "私自身", "実は",
)  # fmt: skip

# --- cuts and continuations ----------------------------------------------------------------------------

#: Hiragana words that commonly open a Japanese sentence. A line that starts with other hiragana
#: (``する``, ``ていきましょう``, ``を築き上げて``) most likely continues a cut sentence.
SENTENCE_OPENERS_JA = (
    "あなた",
    "あの",
    "あまり",
    "あらゆる",
    "ある",
    "あれ",
    "いい",
    "いかに",
    "いずれ",
    "いったい",
    "いつ",
    "いま",
    "いや",
    "いよいよ",
    "いわゆる",
    "おい",
    "おそらく",
    "おや",
    "おお",
    "および",
    "かつて",
    "かなり",
    "きっと",
    "けれど",
    "ここ",
    "こう",
    "こちら",
    "こと",
    "この",
    "これ",
    "こんな",
    "さて",
    "さらに",
    "しかし",
    "しかも",
    "したがって",
    "すでに",
    "すべて",
    "すると",
    "ぜひ",
    "そう",
    "そこ",
    "そして",
    "そのため",
    "その",
    "それ",
    "そんな",
    "たしかに",
    "ただ",
    "たとえ",
    "たった",
    "だから",
    "だが",
    "だって",
    "ちなみに",
    "ちょっと",
    "つまり",
    "できる",
    "では",
    "でも",
    "とくに",
    "とても",
    "ところ",
    "とにかく",
    "とはいえ",
    "ともに",
    "どう",
    "どちら",
    "どこ",
    "どの",
    "どれ",
    "どんな",
    "なお",
    "なかでも",
    "なぜ",
    "なに",
    "なにより",
    "なんと",
    "ねえ",
    "はい",
    "はじめ",
    "ひとつ",
    "ほとんど",
    "ほか",
    "まさに",
    "まず",
    "また",
    "まだ",
    "まあ",
    "まるで",
    "みな",
    "みんな",
    "むしろ",
    "もし",
    "よって",
    "もちろん",
    "もっと",
    "もう",
    "やはり",
    "やがて",
    "ようやく",
    "よく",
    "わたし",
    "われわれ",
    "ぼく",
    "おかげ",
    "ついに",
    "いいえ",
    "ええ",
    "うーん",
    "いえ",
    # interjections and set phrases that open a reply-like sentence (seen in the real blog)
    "さあ",
    "じゃあ",
    "やあ",
    "ああ",
    "へえ",
    "ほら",
    "なるほど",
    "たとえば",
    "ご存知",
    "ご存じ",
    "え、",
    "お、",
    "あ、",
)

#: Characters that cannot open a sentence or a paragraph: Japanese long vowel mark, small kana,
#: punctuation and closers. A line starting with one continues the line before it.
NEVER_OPENS = regex.compile(r"^[ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ、。，．,.;:!?！？」』）)\]】]")
#: A line starting with a lower-case Latin word continues a cut sentence. A word that goes on in upper
#: case or another script is a name (``xAI``, ``iPhone``, ``eコマース``), which may open a sentence.
LOWER_START = regex.compile(r"^\p{Ll}++(?![\p{Lu}\p{Lo}\p{N}])")
#: A Japanese line starting in hiragana.
HIRAGANA_START = regex.compile(r"^\p{Hiragana}")
#: An ellipsis a model puts before the text it resumes from (``…慎重な見方も``).
RESUME_ELLIPSIS = regex.compile(r"^(?:…+|\.{3,})\s*")


@functools.cache
def _opener_regex() -> regex.Pattern[str]:
    words = sorted(SENTENCE_OPENERS_JA, key=len, reverse=True)
    return regex.compile("^(?:" + "|".join(map(regex.escape, words)) + ")")


def starts_mid_sentence(text: str) -> bool:
    """True when ``text`` looks like the middle of a sentence rather than its start.

    >>> starts_mid_sentence("する「高性能」は、Soraに匹敵する")
    True
    >>> starts_mid_sentence("しかし、同時に課題もある。")
    False
    >>> starts_mid_sentence("ーターが数日かけて描いていた")
    True
    >>> starts_mid_sentence("and then it stopped.")
    True
    >>> starts_mid_sentence("The model was released.")
    False
    >>> starts_mid_sentence("iPhone 17の発表は"), starts_mid_sentence("さあ、始めましょう。")
    (False, False)
    """
    if not text:
        return False
    if NEVER_OPENS.match(text) or LOWER_START.match(text):
        return True
    return bool(HIRAGANA_START.match(text)) and not _opener_regex().match(text)


def ends_open(text: str) -> bool:
    """True when prose ``text`` stops without ending its sentence.

    >>> ends_open("では、競合")
    True
    >>> ends_open("比較に目を向けてみましょう。")
    False
    >>> ends_open("「AIと共に」")
    False
    """
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] not in CLEAN_END_CHARS


# --- versions and closings (cleaner/repeats/versions.py, cleaner/repeats/order.py) ------------------

#: What a passage is about, as units a rewording keeps: single kanji (``家賃``, ``後継者`` → ``継ぐ``),
#: katakana words, digits, and Latin words of four letters or more (the short ones are function words).
CONTENT_UNIT = regex.compile(r"\p{Han}|[\p{Katakana}ー]{2,}|\d+|[A-Za-z][A-Za-z'-]{3,}")

#: A call to the reader that closes an article: ``さあ、…``, an invitation (``…ませんか``), a shared resolve
#: (``共に…ましょう``), a question to the reader (``あなたなら…ますか？``); in English ``So, what do you
#: think?``, ``Now it's your turn``, ``Why not …?``, ``Let's …``. Matched on one sentence.
CLOSING_CALL = regex.compile(
    r"^\s*さぁ?、|ませんか[。？?！!]?\s*$|(?:共に|一緒に|ともに)[^。？?！!]*ましょう[。！!]?\s*$"
    r"|あなた(?:なら|も|は|自身)[^。]*(?:ますか|でしょうか|ませんか)[？?]\s*$"
    r"|^\s*(?:So|Now|And)?,?\s*(?:what|how) (?:do|will|would) you\b[^.?!]*\?\s*$"
    r"|\byour turn\b|^\s*(?:Why not|Let's|Let us|Join)\b|\b(?:share|tell us) your (?:thoughts|view)"
)

# --- debris ------------------------------------------------------------------------------------------

#: Punctuation a cut marker can leave in front of a prompt header on its line
#: (``---END---！【既存の記事の最後の部分】``): part of the header's debris, not a sentence of its own.
ECHO_HEADER_LEAD = "！!？?。．.…、，,:："

#: A header a model repeats from its prompt before echoing the article (``【既存の記事の最後の部分】``),
#: maybe behind the punctuation left of a marker (:data:`ECHO_HEADER_LEAD`).
PROMPT_ECHO_HEADER = regex.compile(
    r"^\s*[！!？?。．.…、，,:：]*\s*"
    r"[【\[]\s*(?:既存の記事|前回の記事|記事の続き|元の記事|以下の記事|Existing article|Previous article)"
    r"[^】\]]{0,40}[】\]]\s*:?\s*$",
    regex.IGNORECASE,
)

#: Replies addressed to the requester, not to the reader.
CHATTER = regex.compile(
    r"^\s*(?:"
    r"はい、?(?:承知|かしこまり|了解|わかりました|喜んで)"
    r"|(?:承知|かしこまり|了解)(?:いた)?しました"
    r"|(?:以下|こちら)(?:が|は|に)[^。]{0,30}(?:続き|続編|記事)(?:です|を|になります)"
    r"|(?:記事|文章)の続きを(?:書|執筆|作成)"
    r"|(?:Sure|Certainly|Of course|Okay|OK)[,!.]\s+(?:here|I)"
    r"|Here(?:'s| is) the (?:continuation|rest|next part)"
    # a count of the answer's own length, addressed to the requester
    r"|(?:The|This) (?:article|text|post) (?:has|is|contains) (?:about |around |roughly )?"
    r"\d[\d,]* (?:characters|words)"
    r"|(?:この)?(?:記事|文章)(?:は|の文字数は)(?:約|およそ)?\d[\d,]*(?:文字|字)"
    r")",
    regex.IGNORECASE,
)

#: Texts that say no article exists (``該当するニュースは見つかりませんでした``).
NON_ARTICLE = regex.compile(
    r"(?:ニュース|記事|情報)[^。]{0,20}(?:見つかりませんでした|見当たりませんでした|ありませんでした)"
    r"|no (?:such |relevant )?(?:news|article|information) (?:was |were )?found",
    regex.IGNORECASE,
)

# --- titles ------------------------------------------------------------------------------------------

#: Markdown debris around a title: a heading mark or emphasis.
TITLE_HEADING = regex.compile(r"^\s*#{1,6}\s+")
TITLE_EMPHASIS = regex.compile(r"^\s*(?:\*\*|__)|(?:\*\*|__)\s*$")

#: Characters typical of mojibake: Latin-1 supplement letters, C1 controls, the cp932 reading of UTF-8
#: lead bytes (縺 繧 繝 …), half-width katakana runs, HTML entities, U+FFFD.
SUSPICIOUS = regex.compile(
    r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2020-\u2022\u2030\u2039"
    r"\u203a\u20ac\u2122]"
    r"|[縺繧繝譁蜈螟驛髢郢邵鬮]"
    r"|[\uff61-\uff9f]{2,}"
    r"|&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[A-Za-z]{2,8});"
    r"|\ufffd"
)

#: One HTML entity, named or numeric, with its closing semicolon (the same shapes SUSPICIOUS flags).
HTML_ENTITY = regex.compile(r"&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[A-Za-z]{2,8});")

#: A character that is *not* common in Japanese or English text, apart from Han characters (whose
#: rarity is decided by their JIS level, see ``cleaner.repair.mojibake``). Common: printable ASCII and
#: whitespace, Latin-1 letters, general punctuation except daggers and bullets, arrows and shapes,
#: CJK punctuation, hiragana, full-width katakana, full-width ASCII and yen/pound signs, emoji. Not
#: common: half-width katakana, Greek, Cyrillic, private use, C1 controls. Mojibake of Japanese is
#: mostly made of the rare kind; legitimate text has almost none.
NOT_COMMON_CHAR = regex.compile(
    r"[^\t\n\r\x20-\x7e\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u2010-\u201f\u2025-\u2027\u2032\u2033\u203b"
    r"\u2190-\u21ff\u2460-\u24ff\u2500-\u27bf\u3000-\u30ff\u31f0-\u31ff\uff01-\uff5e\uffe0-\uffe6"
    r"\u200d\ufe0f\p{Extended_Pictographic}]"
)

#: Endings a pipeline step wrote over long titles (``…：その真意は？``, ``…の可能性とは？``). The part
#: before the ending is the stem that the body's first line restates.
TITLE_REWRITTEN_SUFFIX = regex.compile(r"(?:[：:]\s*その真意は|の可能性とは|の可能性と)[？?]$")

#: The start of a rewritten ending that a byte cut left (``…の可能性\ufffd``, ``…はの可\ufffd``,
#: ``…：その真\ufffd``).
TITLE_REWRITTEN_START = regex.compile(r"(?:の可(?:能(?:性(?:とは?)?)?)?|[：:]\s*そ(?:の(?:真意?)?)?)$")
#: What follows a title's words in a body line that restates the title with another ending.
TITLE_WORD_BOUNDARY = regex.compile(r"[、，,：:・\s！？!?]")

#: A title ending that cannot end a title: a comma, a colon, an opening bracket, a dangling ``の`` or
#: ``その``. A title ending so that is also the start of the body's first line was cut.
TITLE_DANGLING_END = regex.compile(r"(?:[、，,：:・]|[「『（(【〈《［\[“‘]|その|の)$")

#: What is trimmed, repeatedly, from the end of a cut title that the body cannot restore: whitespace,
#: the dangling endings above, the start of a rewritten ending (``の可``, ``の可能``, ``：その真``) and a
#: lone katakana character after a kanji or digit (``13億ユ`` for ``13億ユーロ``).
TITLE_CUT_DEBRIS = regex.compile(
    r"(?:\s+|[、，,：:・]|[「『（(【〈《［\[“‘]|その|の(?:可能?)?|(?<=[、，,：:])そ(?:の真?)?"
    r"|(?<=[\p{Han}\d])[\u30a1-\u30fa])$"
)

#: Where a flattened first line stops being a title: a sentence end followed by whitespace.
TITLE_SENTENCE_BREAK = regex.compile(r"[。．！？!?](?=\s)")

# --- normalisation -----------------------------------------------------------------------------------


_MARKUP_NOISE = "*_`#>|"


def compare_key(text: str) -> str:
    """The form in which passages are compared: no whitespace or Markdown emphasis, case folded.

    ``str.split`` and ``str.replace`` run in C; this is about 2.5 times faster than one regex
    substitution, and it runs for every sentence. The stages ask again for the keys of the same
    sentences and paragraphs (58,700 calls for 22,300 texts over both samples), so the keys of the
    last :data:`KEY_CACHE` texts up to :data:`KEY_CACHE_CHARS` long are kept (a few MB at most): a pure
    function of its argument, the cache changes no result.

    >>> compare_key("**Kling AI** 2.5  Turbo\u3000です")
    'klingai2.5turboです'
    """
    return _cached_key(text) if len(text) <= KEY_CACHE_CHARS else _key(text)


#: How many keys :func:`compare_key` keeps, and the longest text whose key it keeps.
KEY_CACHE = 4096
KEY_CACHE_CHARS = 1000


def _key(text: str) -> str:
    key = "".join(text.split())
    for char in _MARKUP_NOISE:
        if char in key:
            key = key.replace(char, "")
    return key.casefold()


_cached_key = functools.lru_cache(maxsize=KEY_CACHE)(_key)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping every character.

    >>> split_sentences("はい。そうです！次へ")
    ['はい。', 'そうです！', '次へ']
    >>> split_sentences("It is 2.5 times faster. Really.")
    ['It is 2.5 times faster.', ' Really.']
    >>> split_sentences("「夢だ。」と彼は言った。")
    ['「夢だ。」', 'と彼は言った。']
    >>> split_sentences("**2. 技術陳腐化** It ends in 2025. Then")
    ['**2. 技術陳腐化** It ends in 2025.', ' Then']
    """
    out = []
    start = 0
    for end in SENTENCE_END_MARK.finditer(text):
        out.append(text[start : end.end()])
        start = end.end()
    if start < len(text):
        out.append(text[start:])
    return out
