"""Duplicate articles across files: planted groups are found, same-topic posts are not grouped."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from cleaner import clean_bytes, dedup
from cleaner.cli import app
from cleaner.dedup import (
    BUCKET_ALL_PAIRS,
    NUM_PERM,
    DuplicateIndex,
    Fingerprint,
    bands,
    fingerprint,
    shingle_hashes,
)
from cleaner.read import decode

from .factory import article, body

runner = CliRunner()


def _mojibake_title(text: str) -> str:
    start = text.index('title: "') + len('title: "')
    end = text.index('"', start)
    broken = text[start:end].encode("utf-8").decode("cp1252", errors="replace")
    return text[:start] + broken + text[end:]


def build_corpus(root: Path) -> dict[str, str]:
    """Twelve distinct posts (three topics, two languages) plus one planted copy of each kind.

    Returns file name → the name of the original it duplicates (originals map to themselves).
    """
    root.mkdir(parents=True, exist_ok=True)
    truth: dict[str, str] = {}
    originals = {}
    for i in range(12):
        lang = "ja" if i % 2 == 0 else "en"
        name = f"post{i:02d}.md"
        originals[name] = article(100 + i, lang=lang, topic=i % 3)
        truth[name] = name
    paragraphs = [p for p in body(originals["post00.md"]).split("\n") if p.strip()]
    planted = {
        "copy-identical.md": ("post00.md", originals["post00.md"]),
        "copy-front-matter.md": (
            "post01.md",
            originals["post01.md"].replace("layout: post", "layout: page\nauthor: someone else"),
        ),
        "copy-markers.md": (
            "post02.md",
            originals["post02.md"].rstrip("\n")
            + "\n\n---END---\n\n"
            + "\n\n".join([p for p in body(originals["post02.md"]).split("\n") if p.strip()][2:4])
            + "\n---END---",
        ),
        "copy-10pct-removed.md": (
            "post00.md",
            originals["post00.md"].split("\n---\n")[0]
            + "\n---\n\n"
            + "\n\n".join(p for i, p in enumerate(paragraphs) if i != 5)
            + "\n",
        ),
        "copy-flattened.md": ("post03.md", " ".join(body(originals["post03.md"]).split("\n"))),
        "copy-mojibake-title.md": ("post05.md", _mojibake_title(originals["post05.md"])),
    }
    for name, text in originals.items():
        (root / name).write_text(text, encoding="utf-8")
    for name, (original, text) in planted.items():
        (root / name).write_text(text, encoding="utf-8")
        truth[name] = original
    return truth


def pairs_of(groups: dict[str, str]) -> set[frozenset[str]]:
    clusters: dict[str, list[str]] = {}
    for name, key in groups.items():
        clusters.setdefault(key, []).append(name)
    return {frozenset(p) for c in clusters.values() for p in itertools.combinations(sorted(c), 2)}


def test_planted_duplicates_found_and_same_topic_kept_apart(tmp_path: Path) -> None:
    truth = build_corpus(tmp_path / "corpus")
    texts = {}
    index = DuplicateIndex()
    for path in sorted((tmp_path / "corpus").iterdir()):
        out, _ = clean_bytes(path.read_bytes())
        texts[path.name] = decode(out)[0].body
        index.add(fingerprint(path.name, texts[path.name]))
    found: dict[str, str] = {name: name for name in texts}
    for group in index.groups(texts.__getitem__):
        for member in group.members:
            found[member.path] = group.canonical
    expected, got = pairs_of(truth), pairs_of(found)
    precision = len(expected & got) / len(got) if got else 1.0
    recall = len(expected & got) / len(expected)
    print(
        f"\nduplicate pairs: precision {precision:.2f}, recall {recall:.2f}, "
        f"{len(got)} found, {len(expected)} planted"
    )
    assert recall == 1.0
    assert precision == 1.0


def test_clean_writes_one_article_per_group(tmp_path: Path) -> None:
    truth = build_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    log = tmp_path / "log.jsonl"
    result = runner.invoke(
        app, ["clean", str(tmp_path / "corpus"), "--out", str(out), "-q", "--log", str(log)]
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    groups = {truth[name] for name in written}
    assert len(written) == len(groups) == len(set(truth.values()))
    dropped = [
        line for line in log.read_text(encoding="utf-8").splitlines() if "cross_file_duplicate" in line
    ]
    assert len(dropped) == len(truth) - len(written)
    assert all((tmp_path / "corpus" / name).exists() for name in truth), "inputs are never deleted"


def test_keep_duplicates_writes_everything(tmp_path: Path) -> None:
    truth = build_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["clean", str(tmp_path / "corpus"), "--out", str(out), "-q", "--keep-duplicates"]
    )
    assert result.exit_code == 0
    assert len(list(out.iterdir())) == len(truth)


def test_shingles_are_stable_across_processes() -> None:
    import subprocess
    import sys

    code = (
        "from cleaner.dedup import shingle_hashes; "
        "print(shingle_hashes('同じ文章を二度書くと同じ指紋になる').tolist())"
    )
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert len(runs) == 1
    assert runs.pop().strip() == str(shingle_hashes("同じ文章を二度書くと同じ指紋になる").tolist())


@pytest.mark.parametrize("text", ["", "短い", "a" * 7])
def test_short_bodies_have_no_signature(text: str) -> None:
    assert fingerprint("x", text).hashvalues == b""


@pytest.mark.parametrize("chars", [40, 3_000, 30_000])
def test_signature_is_datasketchs_minhash_of_the_sampled_shingles(chars: int) -> None:
    """Cached permutations and updates in chunks give the signature of one plain ``MinHash`` update;
    30,000 characters keep about 7,500 shingles, several chunks."""
    from datasketch import MinHash

    codes = np.random.default_rng(chars).integers(0x4E00, 0x9FFF, chars)
    text = "".join(map(chr, codes.tolist()))
    hashes = shingle_hashes(text).tolist()
    assert len(hashes) > 3 * dedup.MINHASH_CHUNK or chars < 30_000
    plain = MinHash(num_perm=NUM_PERM, seed=dedup.SEED, hashfunc=lambda value: value)
    plain.update_batch(hashes)
    got = np.frombuffer(fingerprint("x", text).hashvalues, dtype=np.uint32)
    assert got.tolist() == plain.hashvalues.tolist()


def _signatures(count: int, seed: int) -> list[np.ndarray]:
    """Random signatures, every fifth one a noisy copy of the one before (some bands kept, some not)."""
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = []
    for i in range(count):
        fresh = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint32)
        if i % 5 == 4:
            keep = rng.random(NUM_PERM) < rng.uniform(0.5, 0.95)
            fresh = np.where(keep, out[-1], fresh).astype(np.uint32)
        out.append(fresh)
    return out


def test_lsh_candidates_are_datasketch_minhashlsh_candidates() -> None:
    """The flat band-key index finds exactly the pairs datasketch's MinHashLSH would query."""
    from datasketch import LeanMinHash, MinHashLSH

    signatures = _signatures(400, seed=3)
    index = DuplicateIndex()
    lsh = MinHashLSH(threshold=index.threshold, num_perm=NUM_PERM)
    expected: set[tuple[str, str]] = set()
    for i, values in enumerate(signatures):
        name = f"f{i:04d}"
        index.add(Fingerprint(name, name, 1, "", values.tobytes()))
        minhash = LeanMinHash(seed=1, hashvalues=values, scheme="affine32")
        expected.update((str(other), name) for other in lsh.query(minhash))
        lsh.insert(name, minhash)
    got = index.candidates()
    assert len(got) == len(set(got))
    assert set(got) == expected
    assert len(expected) > 30  # the noisy copies that kept a whole band


def test_a_huge_bucket_is_chained_not_paired() -> None:
    """1,000 files sharing one band: about 2,000 pairs to verify, not 500,000, and all still connected."""
    rng = np.random.default_rng(5)
    shared = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint32)
    index = DuplicateIndex()
    _, r = bands(index.threshold)
    for i in range(1000):
        values = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint32)
        values[:r] = shared[:r]
        index.add(Fingerprint(f"f{i:04d}", f"d{i}", 1, "", values.tobytes()))
    pairs = index.candidates()
    assert BUCKET_ALL_PAIRS < 1000
    assert len(pairs) == 999 + 998
    parent = {f"f{i:04d}": f"f{i:04d}" for i in range(1000)}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, c in pairs:
        parent[find(c)] = find(a)
    assert len({find(x) for x in parent}) == 1


def test_identical_bodies_pair_without_the_lsh() -> None:
    index = DuplicateIndex()
    index.add(Fingerprint("a.md", "same", 10, "", b""))
    index.add(Fingerprint("b.md", "same", 10, "", b""))
    index.add(Fingerprint("a.md", "same", 10, "", b""))  # a file seen twice is indexed once
    assert index.candidates() == [("a.md", "b.md")]


def test_a_small_text_cache_gives_the_same_groups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second pass keeps at most KEY_CACHE texts; with room for one it re-reads more, finds the same."""
    build_corpus(tmp_path / "corpus")
    base = decode(clean_bytes((tmp_path / "corpus" / "post00.md").read_bytes())[0])[0].body
    texts = {f"v{i}.md": f"{base}\n\n追加の段落その{i}です。" for i in range(4)}
    texts["other.md"] = decode(clean_bytes((tmp_path / "corpus" / "post01.md").read_bytes())[0])[0].body
    index = DuplicateIndex()
    for name, text in texts.items():
        index.add(fingerprint(name, text))
    reads: list[str] = []

    def text_of(name: str) -> str:
        reads.append(name)
        return texts[name]

    expected = index.groups(text_of)
    roomy = len(reads)
    monkeypatch.setattr(dedup, "KEY_CACHE", 1)
    reads.clear()
    assert index.groups(text_of) == expected
    assert [len(g.members) for g in expected] == [3]
    assert roomy == 4
    assert len(reads) > roomy  # the cache was really bounded
