"""The README's pre-commit snippet works as written (issue 17): its revision is a release tag or a full
commit SHA, and with its `repo:` placeholder replaced by a local clone, `pre-commit try-repo` installs
the hook from scratch and runs it. Slow (it builds the hook's environment: about a minute) and needs a
package index; skipped when none can be reached."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import cleaner

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
NO_INDEX = ("Could not find a version", "No matching distribution", "Failed to establish a new connection")


def snippet() -> dict[str, object]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Use as a pre-commit hook") :]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "the pre-commit section has no yaml snippet"
    config = yaml.safe_load(block.group(1))
    [repo] = config["repos"]
    assert isinstance(repo, dict)
    return repo


def test_the_snippet_pins_a_release_tag_or_a_commit() -> None:
    repo = snippet()
    rev = str(repo["rev"])
    assert rev == f"v{cleaner.__version__}" or re.fullmatch(r"[0-9a-f]{40}", rev), rev
    assert [hook["id"] for hook in repo["hooks"]] == ["cleaner"]  # type: ignore[attr-defined]


def test_try_repo_with_the_snippet_fixes_a_post(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = snippet()
    rev = str(repo["rev"])
    clone = tmp_path / "cleaner"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    if rev.startswith("v"):
        # the release step: tag the released commit (here the clone's HEAD) unless it is tagged already
        tags = subprocess.run(["git", "tag"], cwd=clone, capture_output=True, text=True, check=True).stdout
        if rev not in tags.split():
            subprocess.run(["git", "tag", rev], cwd=clone, check=True)
    blog = tmp_path / "blog"
    blog.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "home"), PRE_COMMIT_COLOR="never")
    subprocess.run(["git", "init", "-q"], cwd=blog, check=True, env=env)
    post = blog / "post.md"
    post.write_text("本文です。\n\n---END---\n本文です。\n", encoding="utf-8")
    subprocess.run(["git", "add", "post.md"], cwd=blog, check=True, env=env)
    ids = [str(hook["id"]) for hook in repo["hooks"]]  # type: ignore[attr-defined]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(clone),
            *ids,
            "--ref",
            rev,
            "--files",
            "post.md",
        ],
        cwd=blog,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = done.stdout + done.stderr
    if any(sign in output for sign in NO_INDEX):
        pytest.skip("no package index reachable to build the hook's environment")
    assert done.returncode == 1, output
    assert "Fixing post.md" in output
    assert post.read_text(encoding="utf-8") == "本文です。\n"
