"""The ledger: the kept passages in reading order, who replaced whom, and the insertion point.

It is the only place the insertion point (the *cursor*: new text goes after it) moves. The order is a
doubly linked list over entry ids, so that a passage goes in next to any other in constant time; a
passage replaced by a fuller version leaves an alias to it, so that what pointed at the old passage
finds the new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cleaner import patterns
from cleaner.plan import Piece
from cleaner.split import UnitKind

#: A matched passage shorter than this (compare key) moves the insertion point only when it is an exact
#: repeat: a short line said again (``はい。``) says little about where the text below it belongs.
CURSOR_MIN = 30


def markdown_heading(text: str, kind: UnitKind) -> bool:
    """Whether a passage of ``kind`` is a Markdown heading line."""
    return kind is UnitKind.STRUCTURE and patterns.HEADING.match(text) is not None


def bold_line(text: str) -> bool:
    """Whether a passage is a bold lead-in line on its own (``**交通の再定義**``), a heading in effect."""
    # (most passages are prose: their first character rules a bold line out without a regex)
    first = text[:1]
    return (first == "*" or first.isspace()) and patterns.BOLD_LINE.match(text) is not None


def heads_section(text: str, kind: UnitKind) -> bool:
    """Whether a passage is a heading: a Markdown heading line or a bold lead-in line."""
    return markdown_heading(text, kind) or bold_line(text)


@dataclass(slots=True)
class Entry:
    """A kept passage. Its text grows only through :meth:`Ledger.rewrite` (a retelling merged in)."""

    id: int
    text: str
    key: str
    grams: set[int]
    piece: Piece
    alive: bool = True


@dataclass(slots=True)
class Ledger:
    """Kept passages in order, aliases of replaced ones, and the cursor.

    >>> from cleaner.split import Unit, UnitKind
    >>> unit = Unit(0, 0, 0, 1, "", "", UnitKind.PROSE, False)
    >>> def keep(text: str) -> int:
    ...     piece = Piece(text, UnitKind.PROSE, unit, unit)
    ...     return ledger.insert_at_cursor(ledger.new_entry(text, piece, set())).id
    >>> ledger = Ledger()
    >>> a, b = keep("一つ目。"), keep("二つ目。")
    >>> ledger.move_to(a)
    >>> c = keep("間。")
    >>> [e.text for e in ledger.ordered()], ledger.cursor == c
    (['一つ目。', '間。', '二つ目。'], True)
    """

    entries: dict[int, Entry] = field(default_factory=dict)
    next_of: dict[int, int | None] = field(default_factory=dict)
    prev_of: dict[int, int | None] = field(default_factory=dict)
    head: int | None = None
    tail: int | None = None
    #: the entry new text goes after (None: the end); written only by the methods of this class
    cursor: int | None = None
    alias: dict[int, int] = field(default_factory=dict)
    #: the first unit's index of a piece → the entry that holds (or took) its text
    piece_entry: dict[int, int] = field(default_factory=dict)
    #: passages that close the article (a call to the reader that ended its block): they stay last, so
    #: text kept after them goes before them (:meth:`landing`)
    closing: set[int] = field(default_factory=set)
    #: closing passages already reported as kept last (one finding each)
    closing_reported: set[int] = field(default_factory=set)
    _ids: int = 0

    # --- reading ------------------------------------------------------------------------------------

    def resolve(self, entry_id: int) -> int:
        """The live entry that took the place of ``entry_id`` (itself when it was never replaced). Chains
        are compressed as they are walked: 3,000 versions of one paragraph make a chain 3,000 long."""
        alias = self.alias
        if entry_id not in alias:
            return entry_id
        root = entry_id
        while root in alias:
            root = alias[root]
        while entry_id in alias and alias[entry_id] != root:
            alias[entry_id], entry_id = root, alias[entry_id]
        return root

    def current(self, entry_id: int) -> Entry:
        """The entry that stands for ``entry_id`` now (see :meth:`resolve`)."""
        return self.entries[self.resolve(entry_id)]

    def ordered(self) -> list[Entry]:
        out: list[Entry] = []
        node = self.head
        while node is not None:
            out.append(self.entries[node])
            node = self.next_of[node]
        return out

    def position(self, entry_id: int) -> int:
        steps = 0
        node = self.prev_of.get(entry_id)
        while node is not None:
            steps += 1
            node = self.prev_of[node]
        return steps

    def anchor(self) -> int | None:
        """The passage new text goes after: the cursor, or the last passage when there is none."""
        return self.cursor if self.cursor is not None else self.tail

    def landing(self) -> tuple[int | None, int | None]:
        """The passages a passage kept now would stand between: after the cursor (the end when there
        is none), but before any closing passage there.

        >>> from cleaner.split import Unit, UnitKind
        >>> unit = Unit(0, 0, 0, 1, "", "", UnitKind.PROSE, False)
        >>> ledger = Ledger()
        >>> for text in ("本文。", "さあ、始めませんか。"):
        ...     piece = Piece(text, UnitKind.PROSE, unit, unit)
        ...     _ = ledger.insert_at_cursor(ledger.new_entry(text, piece, set()))
        >>> ledger.closing.add(2)
        >>> ledger.landing()
        (1, 2)
        """
        anchor = self.anchor()
        while anchor is not None and anchor in self.closing:
            anchor = self.prev_of[anchor]
        following = self.next_of[anchor] if anchor is not None else self.head
        return anchor, following

    def headings_before(self, entry_id: int, limit: int) -> tuple[list[Entry], bool]:
        """The headings kept before ``entry_id``, nearest first, back to the first Markdown heading (bold
        lead-in lines above it are its subsections), looking back at most ``limit`` passages; and
        whether the look reached the start of the body (no heading above: the introduction)."""
        out: list[Entry] = []
        node = self.prev_of.get(entry_id)
        for _ in range(limit):
            if node is None:
                return out, True
            entry = self.entries[node]
            if markdown_heading(entry.text, entry.piece.kind):
                out.append(entry)
                break
            if bold_line(entry.text):
                out.append(entry)
            node = self.prev_of[node]
        return out, False

    def entry_of(self, piece: Piece) -> int | None:
        """The entry that holds (or matched) ``piece``'s text, if it was decided already."""
        return self.piece_entry.get(piece.first.index)

    # --- writing ------------------------------------------------------------------------------------

    def new_entry(self, text: str, piece: Piece, grams: set[int], key: str | None = None) -> Entry:
        """A passage not yet in the order, with the next id (ids grow in the order passages are made)."""
        self._ids += 1
        return Entry(self._ids, text, patterns.compare_key(text) if key is None else key, grams, piece)

    def record(self, piece: Piece, entry_id: int) -> None:
        self.piece_entry[piece.first.index] = entry_id

    def move_to(self, entry_id: int) -> None:
        """New text goes after ``entry_id`` from now on."""
        self.cursor = entry_id

    def insert_at_cursor(self, entry: Entry) -> Entry:
        """Put ``entry`` after the cursor (at the end when there is none), but before a closing passage
        there (:meth:`landing`), and move the cursor to it."""
        anchor, following = self.landing()
        if anchor is None and following is not None:
            self._insert_first(entry)
        else:
            self.insert_after(anchor, entry)
        self.cursor = entry.id
        return entry

    def move_to_end(self, entry_id: int) -> None:
        """Put the kept passage ``entry_id`` last; the cursor stays."""
        entry = self.entries[entry_id]
        cursor = self.cursor
        self.remove(entry_id, None)
        entry.alive = True
        self.insert_after(None, entry)
        self.cursor = cursor

    def _insert_first(self, entry: Entry) -> None:
        self.entries[entry.id] = entry
        old = self.head
        self.head = entry.id
        self.prev_of[entry.id] = None
        self.next_of[entry.id] = old
        if old is None:
            self.tail = entry.id
        else:
            self.prev_of[old] = entry.id

    def insert_after(self, anchor: int | None, entry: Entry) -> None:
        """Put ``entry`` after ``anchor`` (at the end when None); the cursor stays."""
        self.entries[entry.id] = entry
        if anchor is None or self.head is None:
            anchor = self.tail
        if anchor is None:
            self.head = self.tail = entry.id
            self.next_of[entry.id] = self.prev_of[entry.id] = None
            return
        following = self.next_of[anchor]
        self.next_of[anchor] = entry.id
        self.prev_of[entry.id] = anchor
        self.next_of[entry.id] = following
        if following is None:
            self.tail = entry.id
        else:
            self.prev_of[following] = entry.id

    def remove(self, entry_id: int, replacement: int | None) -> None:
        """Take ``entry_id`` out of the order; ``replacement`` (if any) stands for it from now on. A
        cursor on it moves to the replacement, or else to the passage before it."""
        before, after = self.prev_of.pop(entry_id), self.next_of.pop(entry_id)
        if before is None:
            self.head = after
        else:
            self.next_of[before] = after
        if after is None:
            self.tail = before
        else:
            self.prev_of[after] = before
        self.entries[entry_id].alive = False
        if replacement is not None:
            self.alias[entry_id] = replacement
            if entry_id in self.closing:  # a fuller version of a closing passage closes the article
                self.closing.add(replacement)
        self.closing.discard(entry_id)
        if self.cursor == entry_id:
            self.cursor = replacement if replacement is not None else before

    def rewrite(self, entry_id: int, text: str, grams: set[int]) -> Entry:
        """A kept passage with sentences merged in: new text, its key, and the n-grams it now says."""
        entry = self.entries[entry_id]
        entry.text = text
        entry.key = patterns.compare_key(text)
        entry.grams = grams
        return entry
