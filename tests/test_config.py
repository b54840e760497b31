"""Configuration: discovery, precedence (default < file < flag), exact error messages, `cleaner config`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.config import FIELD_TYPES, SUPPORTED_TYPES, ConfigError, load, resolve
from cleaner.options import DEFAULT_MARKER, Options

runner = CliRunner()

#: A post whose blocks are split by `===END===`: a marker only when the configuration says so.
POST = "本文の段落です。\n\n===END===\n本文の段落です。\n"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A git work tree (a `.git` folder is all discovery looks at) with posts/2025/ inside."""
    root = tmp_path / "blog"
    (root / ".git").mkdir(parents=True)
    (root / "posts" / "2025").mkdir(parents=True)
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(cwd: Path, explicit: Path | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load(cwd, explicit)
    return str(caught.value)


# --- discovery -----------------------------------------------------------------------------------------


def test_discovered_from_a_subfolder(repo: Path) -> None:
    write(repo / "pyproject.toml", '[project]\nname = "blog"\n\n[tool.cleaner]\nnear-duplicate-ratio = 92\n')
    loaded = load(repo / "posts" / "2025")
    assert loaded.path == repo / "pyproject.toml"
    assert loaded.name == "../../pyproject.toml"
    assert loaded.values == {"near_duplicate_ratio": 92.0}
    assert loaded.sources == {"near_duplicate_ratio": "../../pyproject.toml"}


def test_dot_file_wins_over_pyproject_in_the_same_folder(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.cleaner]\ngram = 4\n")
    write(repo / ".cleaner.toml", "gram = 6\n")
    loaded = load(repo)
    assert loaded.path == repo / ".cleaner.toml" and loaded.values == {"gram": 6}


def test_nearest_folder_wins(repo: Path) -> None:
    write(repo / ".cleaner.toml", "gram = 6\n")
    write(repo / "posts" / ".cleaner.toml", "gram = 7\n")
    assert load(repo / "posts" / "2025").values == {"gram": 7}


def test_pyproject_without_the_table_does_not_count(repo: Path) -> None:
    write(repo / ".cleaner.toml", "gram = 6\n")
    write(repo / "posts" / "pyproject.toml", '[project]\nname = "posts"\n')
    loaded = load(repo / "posts" / "2025")
    assert loaded.path == repo / ".cleaner.toml" and loaded.values == {"gram": 6}


def test_walk_stops_at_the_repository_root(repo: Path) -> None:
    write(repo.parent / ".cleaner.toml", "gram = 6\n")  # outside the repository: never read
    loaded = load(repo / "posts")
    assert loaded.path is None and loaded.values == {}


def test_git_file_of_a_worktree_is_a_boundary_too(repo: Path) -> None:
    (repo / ".git").rmdir()
    write(repo / ".git", "gitdir: /elsewhere\n")
    write(repo.parent / ".cleaner.toml", "gram = 6\n")
    assert load(repo / "posts").path is None


def test_no_configuration_gives_the_defaults(repo: Path) -> None:
    options, sources = resolve(repo, None, {})
    assert options == Options()
    assert set(sources.values()) == {"default"}


def test_explicit_file_replaces_discovery(repo: Path) -> None:
    write(repo / ".cleaner.toml", "gram = 6\n")
    write(repo / "conf" / "strict.toml", "gram = 3\n")
    loaded = load(repo, Path("conf/strict.toml"))
    assert loaded.values == {"gram": 3} and loaded.name == "conf/strict.toml"
    write(repo / "conf" / "pyproject.toml", "[tool.cleaner]\ngram = 2\n")
    assert load(repo, repo / "conf" / "pyproject.toml").values == {"gram": 2}


# --- keys and values -----------------------------------------------------------------------------------


def test_every_option_can_be_set_from_a_file() -> None:
    """A new Options field with a type the checker does not know fails here, not in a user's hands."""
    unsupported = {name: t for name, t in FIELD_TYPES.items() if t not in SUPPORTED_TYPES}
    assert unsupported == {}
    assert set(FIELD_TYPES) == set(Options.__dataclass_fields__)


def test_dashes_underscores_and_the_marker_alias(repo: Path) -> None:
    write(
        repo / ".cleaner.toml",
        'marker = \'={3,}END={3,}\'\nrecover-titles = false\ntitle_fields = ["title", "headline"]\n'
        'duplicates = "keep-all"\nexclude = ["drafts"]\nsentence-covered = 1\n',
    )
    values = load(repo).values
    assert values == {
        "marker_pattern": "={3,}END={3,}",
        "recover_titles": False,
        "title_fields": ("title", "headline"),
        "duplicates": "keep-all",
        "exclude": ("drafts",),
        "sentence_covered": 1.0,
    }
    assert isinstance(values["sentence_covered"], float)


def test_precedence_default_file_flag_with_resolve(repo: Path) -> None:
    write(repo / ".cleaner.toml", 'marker = "={3,}END={3,}"\nexclude = ["drafts"]\n')
    options, sources = resolve(
        repo / "posts", None, {"exclude": ["old"], "include": None, "marker_pattern": None}
    )
    assert options.exclude == ("old",) and sources["exclude"] == "command line"
    assert options.marker_pattern == "={3,}END={3,}" and sources["marker_pattern"] == "../.cleaner.toml"
    assert options.include == Options().include and sources["include"] == "default"
    assert options.near_duplicate_ratio == 90.0 and sources["near_duplicate_ratio"] == "default"


def test_precedence_default_file_flag_through_the_cli(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo / "posts" / "a.md", POST)
    monkeypatch.chdir(repo / "posts")
    # default: `===END===` is not a marker, and a body without markers is left alone
    assert runner.invoke(app, ["clean", "a.md", "--check", "-q"]).exit_code == 0
    # file: the configured marker splits the body and the repeat is found
    write(repo / "pyproject.toml", "[tool.cleaner]\nmarker-pattern = '={3,}END={3,}'\n")
    assert runner.invoke(app, ["clean", "a.md", "--check", "-q"]).exit_code == 1
    # flag: the command line wins over the file
    result = runner.invoke(app, ["clean", "a.md", "--check", "-q", "--marker", DEFAULT_MARKER])
    assert result.exit_code == 0, result.output
    # an explicit --config wins over the file discovery would find
    write(repo / "default.toml", f"marker = '{DEFAULT_MARKER}'\n")
    assert (
        runner.invoke(app, ["clean", "a.md", "--check", "-q", "--config", "../default.toml"]).exit_code == 0
    )


# --- errors: one line, naming the file, the key and what was expected ----------------------------------


def test_unknown_key_in_pyproject(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.cleaner]\nmarker_patern = "x"\n')
    assert error_of(repo) == (
        'pyproject.toml: [tool.cleaner] unknown key "marker_patern" (did you mean "marker_pattern"?)'
    )


def test_unknown_key_keeps_the_users_spelling(repo: Path) -> None:
    write(repo / ".cleaner.toml", "near-duplicate-ration = 90\nfavourite-colour = 1\n")
    assert error_of(repo) == (
        '.cleaner.toml: unknown key "near-duplicate-ration" (did you mean "near-duplicate-ratio"?)'
    )
    write(repo / ".cleaner.toml", "favourite-colour = 1\n")
    assert error_of(repo) == '.cleaner.toml: unknown key "favourite-colour"'


def test_pyproject_layout_in_the_dot_file(repo: Path) -> None:
    write(repo / ".cleaner.toml", "[tool.cleaner]\ngram = 4\n")
    assert error_of(repo) == (
        '.cleaner.toml: unknown key "tool" (in this file the settings are top-level keys, '
        "without [tool.cleaner])"
    )


def test_wrong_type(repo: Path) -> None:
    write(repo / ".cleaner.toml", 'near_duplicate_ratio = "high"\n')
    assert error_of(repo) == '.cleaner.toml: "near_duplicate_ratio" must be a number, got string'


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("recover_titles = 1", '"recover_titles" must be true or false, got integer'),
        ("gram = 5.5", '"gram" must be an integer, got float'),
        ("gram = true", '"gram" must be an integer, got boolean'),
        ('exclude = "drafts"', '"exclude" must be an array of strings, got string'),
        (
            'title_fields = ["title", 2]',
            '"title_fields" must be an array of strings, got an array with integer',
        ),
        ("marker = 2025-01-01", '"marker" must be a string, got date'),
        ("near_duplicate_ratio = 150", '"near_duplicate_ratio" must be between 0 and 100, got 150.0'),
        ("gram = 0", '"gram" must be at least 1, got 0'),
        ('duplicates = "drop"', '"duplicates" must be "keep-one" or "keep-all", got "drop"'),
    ],
)
def test_wrong_values_in_pyproject(repo: Path, line: str, message: str) -> None:
    write(repo / "pyproject.toml", f"[tool.cleaner]\n{line}\n")
    assert error_of(repo) == f"pyproject.toml: [tool.cleaner] {message}"


def test_bad_regexes(repo: Path) -> None:
    write(repo / ".cleaner.toml", "marker_pattern = '(END'\n")
    assert error_of(repo) == (
        '.cleaner.toml: "marker_pattern" is not a valid regular expression: missing ) at position 4'
    )
    write(repo / ".cleaner.toml", "boilerplate_patterns = ['^Photo: .*$', '[unclosed']\n")
    assert error_of(repo) == (
        '.cleaner.toml: "boilerplate_patterns" item 2 is not a valid regular expression: '
        "unterminated character set at position 9"
    )
    write(repo / ".cleaner.toml", "marker = '-*'\n")
    assert error_of(repo) == '.cleaner.toml: "marker" matches the empty string, so it would match everywhere'


def test_two_spellings_of_one_key(repo: Path) -> None:
    write(repo / ".cleaner.toml", "marker = 'A'\nmarker-pattern = 'B'\n")
    assert error_of(repo) == '.cleaner.toml: "marker" and "marker-pattern" set the same setting; keep one'


def test_unreadable_and_invalid_files(repo: Path) -> None:
    assert error_of(repo, Path("missing.toml")) == "missing.toml: cannot read: No such file or directory"
    write(repo / ".cleaner.toml", "gram = \n")
    assert error_of(repo).startswith(".cleaner.toml: not valid TOML: ")
    write(repo / "other" / "pyproject.toml", '[project]\nname = "x"\n')
    assert error_of(repo, Path("other/pyproject.toml")) == "other/pyproject.toml: no [tool.cleaner] table"


def test_configuration_error_exits_2_with_one_line(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo / "posts" / "a.md", POST)
    write(repo / "pyproject.toml", '[tool.cleaner]\nmarker_patern = "x"\n')
    monkeypatch.chdir(repo / "posts")
    for command in (["clean", "a.md", "--check"], ["report", "a.md"], ["hook", "a.md"], ["config"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, command
        assert result.stderr == (
            'error: ../pyproject.toml: [tool.cleaner] unknown key "marker_patern" '
            '(did you mean "marker_pattern"?)\n'
        )
        assert result.stdout == ""


def test_bad_flag_regex_exits_2(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo / "a.md", POST)
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["clean", "a.md", "--check", "--marker", "(END"])
    assert result.exit_code == 2
    assert result.stderr == (
        'error: command line: "marker_pattern" is not a valid regular expression: missing ) at position 4\n'
    )


# --- cleaner config ------------------------------------------------------------------------------------


def test_config_command_names_the_sources(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo / "pyproject.toml", "[tool.cleaner]\nmarker = '={3,}END={3,}'\nrecover-titles = false\n")
    monkeypatch.chdir(repo / "posts")
    result = runner.invoke(app, ["config", "--exclude", "drafts"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "config file: ../pyproject.toml"
    rows = {
        line.split()[0]: line.split() for line in lines[1:] if line.strip() and line.split()[0].isidentifier()
    }
    assert rows["marker_pattern"][1:] == ['"={3,}END={3,}"', "../pyproject.toml"]
    assert rows["recover_titles"][1:] == ["false", "../pyproject.toml"]
    assert rows["exclude"][1:] == ['["drafts"]', "command", "line"]
    assert rows["gram"][1:] == ["5", "default"]
    assert rows["duplicates"][1:] == ['"keep-one"', "default"]


def test_config_command_json(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo / ".cleaner.toml", "title-fields = ['title', 'headline']\n")
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["config", "--format", "json", "--include", "*.md"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["config_file"] == ".cleaner.toml"
    assert doc["settings"]["title_fields"] == {"value": ["title", "headline"], "source": ".cleaner.toml"}
    assert doc["settings"]["include"] == {"value": ["*.md"], "source": "command line"}
    assert doc["settings"]["marker_pattern"] == {"value": DEFAULT_MARKER, "source": "default"}
    assert list(doc["settings"]) == list(Options.__dataclass_fields__)


def test_config_command_without_a_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "config file: none found"
    assert json.loads(runner.invoke(app, ["config", "-f", "json"]).stdout)["config_file"] is None
