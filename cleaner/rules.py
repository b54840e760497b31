"""Every rule code a finding can carry, with one line on what the rule did.

A finding's ``rule`` names the rule that made it, stably: reports filter and count by it, and tests pin
each rule by it. Where one kind comes from several rules (``duplicate`` from an exact repeat, a
repeated heading, a passage of short sentences or a fully said one), each rule has its own code. The
codes are listed in ``docs/report.schema.json`` (the ``enum`` of a finding's ``rule``), in
``docs/report-schema.md`` and in the README; a test fails when one of them lacks a code emitted here.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    # split: continuation markers
    "marker.line": "a continuation marker on a line of its own, removed",
    "marker.inline": "a continuation marker inside a line, removed and the line split there",
    # seams (cleaner/seams.py)
    "echo.prompt": "a prompt header such as 【既存の記事の最後の部分】 that introduces an echo, dropped",
    "chatter.reply": "a reply of the model to its requester (はい、承知いたしました。…), dropped",
    "seam.overlap": "a cut sentence restarted with an overlap: stitched, the overlap kept once",
    "seam.continuation": "a cut sentence continued directly by the next block: stitched",
    "seam.alternative": "a second continuation of a cut already continued: its first sentence dropped",
    "fragment.unjoined": "a block starting mid-sentence with nothing to continue: its cut head dropped",
    # repeats (cleaner/repeats/)
    "repeat.exact": "a passage kept word for word already, dropped",
    "repeat.structure": "a heading or other structure line kept already, dropped",
    "repeat.short": "a passage of sentences too short to judge, kept whole already, dropped",
    "repeat.covered": "a passage whose every sentence is said already, dropped",
    "repeat.truncated": "a cut copy of a kept passage (its start), dropped",
    "repeat.restart": "an answer retelling several kept passages in one, dropped",
    "flattened.copy": "the article (or a long part) again with its paragraph breaks flattened, dropped",
    "repeat.supersede": "a kept passage contained in a fuller new one, which takes its place",
    "repeat.near_longer": "a kept passage replaced in its place by a near-identical, longer version",
    "repeat.near_version": "a near-identical version no longer than the kept passage, dropped",
    "repeat.reworded": "a later version next to a kept passage, only reworded sentence by sentence, dropped",
    "repeat.rewritten": "a later block's rewrite of a kept passage next to it, in other sentences: dropped, "
    "or in its place when it says more",
    "order.closing": "a closing passage (a call to the reader) that ended its block kept last: later text "
    "goes before it",
    "repeat.fuller_sentence": "a kept sentence replaced by a fuller version from a retelling",
    "repeat.merge": "new sentences of a retelling placed next to the kept sentences they extend",
    "repeat.sentences": "sentences already said, removed from a passage that also says something new",
    # fragments (cleaner/fragments.py)
    "fragment.dropped": "a kept passage's cut last sentence, said in full elsewhere, dropped",
    "fragment.kept": "a kept passage ending mid-sentence with nothing to continue it: kept and reported",
    "debris.rule": "a --- left with nothing after it, or right before another one, dropped",
    # repairs
    "boilerplate.line": "a configured scraper line (an image caption, ...), removed",
    "boilerplate.rejoined": "a configured scraper line removed from inside a sentence, the sentence rejoined",
    "title.markup": "heading marks, emphasis or stray whitespace removed from the title",
    "title.recovered": "a cut or rewritten title restored from the body",
    "title.trimmed": "a cut title that could not be restored, trimmed to a clean boundary",
    "mojibake.title": "mojibake repaired in the title",
    # reading
    "encoding.converted": "the file was not UTF-8: decoded and written as UTF-8",
    "encoding.newlines": "mixed line ends, written with the dominant one",
    # structure (cleaner/structure/): footers, sections, copies, debris; the seam evidence
    "seam.refused": "a cut sentence not joined to a next line that does not continue it: reported",
    "seam.said_otherwise": "a cut not joined to a next line: the input says the sentence in full otherwise",
    "footer.move": "a footer section (related links, call to action, books) moved after the article",
    "footer.repeat": "a footer section that repeats one already kept, dropped",
    "section.merge": "a regenerated section (same heading, renumbered, continued) merged into the first",
    "section.continued_heading": "a heading marked （続き）/(continued), no earlier section: mark removed",
    "section.orphan_heading": "a heading with nothing under it (its section was all repeats), dropped",
    "section.cut_heading": "a heading cut short and followed by its full version, dropped",
    "flattened.paragraph": "a paragraph mostly said by several other paragraphs (a flattened copy), dropped",
    "flattened.heading": (
        "a heading line holding a flattened copy (another heading mark inside, or 150+ characters the"
        " other paragraphs say), dropped"
    ),
    "repeat.paragraph": "a paragraph near-identical to a kept one, dropped (in its place if it says more)",
    "fragment.said": "a paragraph cut mid-sentence whose unfinished sentence another paragraph says in full",
    "marker.cut": "a marker cut short at the end of the body (---END, ---EN), removed",
    "echo.inline": "the model quoting its prompt inside a sentence (既存の記事で…), removed or reported",
    # reported only
    "suspect.non_article": "the text says there is no article",
    "suspect.bracket": "a closing bracket without its opening one",
    # runs
    "duplicate.file": "another file holds the same article",
    "error.read": "the file could not be read or decoded",
    "error.discover": "the path could not be listed or opened",
}

#: Decisions of the repeat pass that keep text and make no finding of their own (``repeat.sentences``
#: records what such a keep removes); named so that a decision always carries a code.
KEEP_RULES: dict[str, str] = {
    "keep.new": "no sentence said before and few n-grams seen: new text, kept as it is",
    "keep.rest": "kept as a passage of its own, without the sentences already said",
    "keep.structure": "a heading, table, rule or code line seen for the first time, kept",
}
