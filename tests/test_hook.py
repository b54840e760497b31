"""`cleaner hook` alone, then under the real pre-commit in a throwaway git repository.

The pre-commit tests turn the hooks of `.pre-commit-hooks.yaml` into `repo: local` hooks that run the
installed `cleaner` (language: system), so nothing is built or downloaded: the file filters (types_or)
and the arguments are the published ones. `pre-commit try-repo` is not used: it builds a virtualenv and
pip-installs this checkout with its dependencies, which needs a package index.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cleaner import clean_text
from cleaner.cli import app

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
CLEANER = Path(sys.executable).with_name("cleaner")

runner = CliRunner()

#: A post as the continuation pipeline leaves it: the title cut at 40 bytes inside a character
#: (U+FFFD), `---END---` markers, a cut sentence restarted with an overlap, a regenerated paragraph.
DIRTY = (
    "---\n"
    'title: "Kling AI 2.5 Turboの可能\ufffd"\n'
    "date: 2025-09-26\n"
    "---\n"
    "\n"
    "Kling AI 2.5 Turboの可能性とは何か？\n"
    "\n"
    "快手が新しい動画生成モデルを発表した。\n"
    "\n"
    "では、競合\n"
    "\n"
    "---END---\n"
    "\n"
    "競合他社との比較に目を向けてみましょう。\n"
    "\n"
    "---END---\n"
    "\n"
    "快手が新しい動画生成モデルを発表した。\n"
    "\n"
    "---END---\n"
)
FIXED = clean_text(DIRTY).text
CLEAN = '---\ntitle: "町の書店が生き残る道"\n---\n\n町の書店が次々と姿を消しています。\n'


def test_the_sample_post_is_what_the_hook_tests_expect() -> None:
    assert "---END---" not in FIXED and "\ufffd" not in FIXED
    assert 'title: "Kling AI 2.5 Turboの可能性とは何か？"' in FIXED
    assert FIXED.count("快手が新しい動画生成モデルを発表した。") == 1
    assert not clean_text(FIXED).changed and not clean_text(CLEAN).changed


# --- cleaner hook, in process --------------------------------------------------------------------------


@pytest.fixture()
def posts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # keeps configuration discovery inside tmp_path
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "dirty.md").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "posts" / "clean.md").write_text(CLEAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "posts"


def test_hook_fixes_in_place_and_exits_1(posts: Path) -> None:
    result = runner.invoke(app, ["hook", "posts/dirty.md", "posts/clean.md"])
    assert result.exit_code == 1
    assert result.stdout == "Fixing posts/dirty.md\n"
    assert (posts / "dirty.md").read_text(encoding="utf-8") == FIXED
    assert (posts / "clean.md").read_text(encoding="utf-8") == CLEAN


def test_hook_twice_second_run_is_a_no_op(posts: Path) -> None:
    assert runner.invoke(app, ["hook", "posts/dirty.md"]).exit_code == 1
    before = (posts / "dirty.md").read_bytes()
    again = runner.invoke(app, ["hook", "posts/dirty.md"])
    assert again.exit_code == 0 and again.stdout == ""
    assert (posts / "dirty.md").read_bytes() == before


def test_hook_on_clean_files_exits_0_silently(posts: Path) -> None:
    result = runner.invoke(app, ["hook", "posts/clean.md"])
    assert result.exit_code == 0 and result.output == ""


def test_hook_check_lists_findings_and_writes_nothing(posts: Path) -> None:
    result = runner.invoke(app, ["hook", "--check", "posts/dirty.md", "posts/clean.md"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "posts/dirty.md: would be fixed"
    assert lines[1] == "  title_repair: Kling AI 2.5 Turboの可能\ufffd → Kling AI 2.5 Turboの可能性とは何か？"
    assert "  marker: ---END---" in lines and "  overlap: 競合" in lines
    assert "  duplicate: 快手が新しい動画生成モデルを発表した。" in lines
    assert not any("clean.md" in line for line in lines)
    assert (posts / "dirty.md").read_text(encoding="utf-8") == DIRTY


def test_hook_check_caps_the_list(posts: Path) -> None:
    long = DIRTY + "".join(f"\n段落{i}です。\n\n---END---\n" for i in range(10))
    (posts / "dirty.md").write_text(long, encoding="utf-8")
    lines = runner.invoke(app, ["hook", "--check", "posts/dirty.md"]).stdout.splitlines()
    assert len(lines) == 1 + 8 + 1
    assert lines[-1].startswith("  … ") and lines[-1].endswith(" more (cleaner report posts/dirty.md)")


def test_hook_unreadable_file_exits_3_and_fixes_the_rest(posts: Path) -> None:
    (posts / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = runner.invoke(app, ["hook", "posts/image.md", "posts/missing.md", "posts/dirty.md"])
    assert result.exit_code == 3
    assert result.stdout == "Fixing posts/dirty.md\n"
    errors = result.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in errors] == ["posts/image.md", "posts/missing.md"]


def test_hook_honours_configured_excludes_not_includes(posts: Path) -> None:
    (posts.parent / ".cleaner.toml").write_text('exclude = ["drafts"]\ninclude = ["*.markdown"]\n')
    (posts / "drafts").mkdir()
    (posts / "drafts" / "wip.md").write_text(DIRTY, encoding="utf-8")
    result = runner.invoke(app, ["hook", "posts/drafts/wip.md", "posts/dirty.md"])
    assert result.exit_code == 1
    assert result.stdout == "Fixing posts/dirty.md\n", "include globs select files in folders only"
    assert (posts / "drafts" / "wip.md").read_text(encoding="utf-8") == DIRTY


def test_hook_reads_an_explicit_config(posts: Path) -> None:
    (posts.parent / "strict.toml").write_text('marker = "={3,}END={3,}"\n')
    result = runner.invoke(app, ["hook", "--config", "strict.toml", "posts/dirty.md"])
    assert result.exit_code == 1  # the title is still repaired; the `---END---` lines are now text
    assert "---END---" in (posts / "dirty.md").read_text(encoding="utf-8")


# --- the real pre-commit in a real git repository ------------------------------------------------------


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(MANIFEST))}
    assert set(hooks) == {"cleaner", "cleaner-check"}
    assert hooks["cleaner"]["entry"] == "cleaner hook"
    assert hooks["cleaner-check"]["entry"] == "cleaner hook --check"
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["types_or"] == ["markdown", "plain-text"]
        assert hook["pass_filenames"] and not hook["require_serial"]


class Repo:
    """A git repository with the published hooks installed as local ones, and helpers to drive it."""

    def __init__(self, root: Path, home: Path) -> None:
        self.root = root
        (home / "gitconfig").write_text("")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
        env.pop("SKIP", None)
        env.update(
            PRE_COMMIT_HOME=str(home / "pre-commit"),
            PRE_COMMIT_COLOR="never",
            GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
            GIT_CONFIG_NOSYSTEM="1",
            GIT_TERMINAL_PROMPT="0",
            PIP_NO_INDEX="1",
            http_proxy="http://127.0.0.1:9",
            https_proxy="http://127.0.0.1:9",
            HTTP_PROXY="http://127.0.0.1:9",
            HTTPS_PROXY="http://127.0.0.1:9",
            no_proxy="",
            NO_PROXY="",
        )
        self.env = env
        root.mkdir()
        self.git("init", "-q")
        self.git("config", "user.name", "Test")
        self.git("config", "user.email", "test@example.com")
        self.git("config", "commit.gpgsign", "false")
        (root / ".pre-commit-config.yaml").write_text(local_config(), encoding="utf-8")
        (root / "pyproject.toml").write_text('[tool.cleaner]\nexclude = ["drafts"]\n', encoding="utf-8")
        self.pre_commit("install")
        self.git("add", "-A")
        self.commit("setup", check=True)

    def run(self, *args: str, check: bool = False, **env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            args,
            cwd=self.root,
            env={**self.env, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # git runs its hooks with their output on stderr
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"{args} exited {result.returncode}:\n{result.stdout}")
        return result

    def git(self, *args: str) -> str:
        return self.run("git", *args, check=True).stdout

    def pre_commit(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "pre_commit", *args, **env)

    def commit(self, message: str, check: bool = False, **env: str) -> subprocess.CompletedProcess[str]:
        return self.run("git", "commit", "-m", message, check=check, **env)

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def stage(self, name: str, text: str) -> Path:
        path = self.write(name, text)
        self.git("add", name)
        return path

    def committed(self, name: str) -> str:
        return self.git("show", f"HEAD:{name}")


def local_config() -> str:
    """The published hooks as `repo: local` hooks running the installed `cleaner` script."""
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    for hook in hooks:
        assert hook["entry"].startswith("cleaner ")
        hook["entry"] = shlex.quote(str(CLEANER)) + hook["entry"][len("cleaner") :]
        hook["language"] = "system"
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, allow_unicode=True)


@pytest.fixture()
def repo(tmp_path: Path) -> Repo:
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the pre-commit hook tests need a git repository")
    if not CLEANER.exists():
        pytest.skip(f"no cleaner script next to {sys.executable} (pip install -e '.[test]')")
    return Repo(tmp_path / "blog", tmp_path)


def test_commit_fails_the_file_is_fixed_and_the_next_commit_succeeds(repo: Repo) -> None:
    post = repo.stage("_posts/kling.md", DIRTY)
    first = repo.commit("add a post", SKIP="cleaner-check")
    assert first.returncode == 1, first.stdout
    assert "cleaner (fix articles)" in first.stdout and "Failed" in first.stdout
    assert "- files were modified by this hook" in first.stdout
    assert "Fixing _posts/kling.md" in first.stdout
    assert post.read_text(encoding="utf-8") == FIXED, "the file on disk is fixed"
    assert repo.git("show", ":_posts/kling.md") == DIRTY, "the staged version is left to the user"
    repo.git("add", "_posts/kling.md")
    second = repo.commit("add a post", SKIP="cleaner-check")
    assert second.returncode == 0, second.stdout
    assert repo.committed("_posts/kling.md") == FIXED


def test_clean_post_passes_untouched(repo: Repo) -> None:
    post = repo.stage("_posts/bookshop.md", CLEAN)
    result = repo.commit("a clean post")
    assert result.returncode == 0, result.stdout
    assert "cleaner (fix articles)" in result.stdout and "Failed" not in result.stdout
    assert post.read_bytes() == CLEAN.encode("utf-8")
    assert repo.committed("_posts/bookshop.md") == CLEAN


def test_check_hook_fails_without_touching_the_file(repo: Repo) -> None:
    post = repo.stage("_posts/kling.md", DIRTY)
    result = repo.commit("add a post", SKIP="cleaner")
    assert result.returncode == 1
    assert "cleaner (check articles)" in result.stdout and "- exit code: 1" in result.stdout
    assert "files were modified" not in result.stdout
    assert "_posts/kling.md: would be fixed" in result.stdout
    assert "  marker: ---END---" in result.stdout
    assert post.read_text(encoding="utf-8") == DIRTY
    assert repo.git("log", "--format=%s") == "setup\n", "nothing was committed"


def test_running_the_hook_twice_the_second_run_changes_nothing(repo: Repo) -> None:
    post = repo.stage("_posts/kling.md", DIRTY)
    first = repo.pre_commit("run", "cleaner", "--files", "_posts/kling.md")
    assert first.returncode == 1 and "Fixing _posts/kling.md" in first.stdout
    fixed = post.read_bytes()
    second = repo.pre_commit("run", "cleaner", "--files", "_posts/kling.md")
    assert second.returncode == 0, second.stdout
    assert "Passed" in second.stdout and "Fixing" not in second.stdout
    assert post.read_bytes() == fixed
    check = repo.pre_commit("run", "cleaner-check", "--files", "_posts/kling.md")
    assert check.returncode == 0, check.stdout


def test_only_posts_outside_excluded_folders_are_cleaned(repo: Repo) -> None:
    """types_or passes Markdown and .txt files only; `exclude` from pyproject.toml still applies."""
    other = {
        "tools/build.py": "# ---END---\n",
        "data/notes.yaml": "a: 1\n---END---\na: 1\n",
        "drafts/wip.md": DIRTY,
    }
    for name, text in other.items():
        repo.stage(name, text)
    many = [repo.stage(f"_posts/{i:02}.txt", DIRTY.replace("快手", f"快手{i}")) for i in range(12)]
    result = repo.commit("many files", SKIP="cleaner-check")
    assert result.returncode == 1
    for name, text in other.items():
        assert (repo.root / name).read_text(encoding="utf-8") == text, name
    # pre-commit splits the twelve files across processes; every one is fixed and named once
    assert sorted(line for line in result.stdout.splitlines() if line.startswith("Fixing")) == [
        f"Fixing _posts/{i:02}.txt" for i in range(12)
    ]
    assert all("---END---" not in path.read_text(encoding="utf-8") for path in many)


def test_the_hook_does_not_load_the_cross_file_machinery() -> None:
    # datasketch pulls in scipy (most of a second); a hook run, which never compares files, must not pay
    code = "import sys, cleaner.cli; print(sorted(m for m in ('datasketch', 'scipy') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
