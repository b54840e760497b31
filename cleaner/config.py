"""Settings from a file: ``.cleaner.toml`` or ``[tool.cleaner]`` in ``pyproject.toml``.

Discovery walks up from the working folder, as ruff and black do, and stops at the first folder that
has a ``.cleaner.toml`` (it wins over a ``pyproject.toml`` beside it) or a ``pyproject.toml`` with a
``[tool.cleaner]`` table (one without it does not count: the walk goes on). It never leaves a git
repository: the folder holding ``.git`` is the last one looked at, and so is the filesystem root.
``--config FILE`` replaces discovery; a file named ``pyproject.toml`` is read from its
``[tool.cleaner]`` table, any other file from its top-level keys.

Keys are the :class:`~cleaner.options.Options` field names, with dashes or underscores
(``marker-pattern`` or ``marker_pattern``). The CLI's flag names are accepted too, so ``marker``
means ``marker_pattern`` (the only one that differs). Values are checked against the field types:
a string, a boolean, an integer, a number (integer or float) or an array of strings; regexes must
compile and must not match the empty string, and a few numbers have ranges. Any problem raises
:class:`ConfigError`, whose text is one line naming the file, the key and what was expected.

Effective settings are defaults ← file ← command line; :func:`resolve` also says where each came from.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import regex

from cleaner.options import Options

__all__ = [
    "ALIASES",
    "DEFAULT",
    "FIELD_TYPES",
    "FLAGS",
    "SUPPORTED_TYPES",
    "ConfigError",
    "Loaded",
    "apply",
    "load",
    "plain",
    "resolve",
    "toml_value",
]

DOT_FILE = ".cleaner.toml"
PYPROJECT = "pyproject.toml"

#: Where a setting came from when neither a file nor a flag set it, and when a flag did.
DEFAULT = "default"
FLAGS = "command line"

#: Friendlier names accepted in a file, mapped to the field they set (the CLI flag names).
ALIASES: Mapping[str, str] = types.MappingProxyType({"marker": "marker_pattern"})

#: Settings that are regexes: they must compile as the engine compiles them.
_REGEX_FIELDS = frozenset({"marker_pattern", "boilerplate_patterns"})

#: Inclusive bounds of numeric settings (None: unbounded on that side).
_RANGES: Mapping[str, tuple[float | None, float | None]] = types.MappingProxyType(
    {
        "near_duplicate_ratio": (0, 100),
        "duplicate_ratio": (0, 100),
        "sentence_covered": (0, 1),
        "retold_share": (0, 1),
        "duplicate_jaccard": (0, 1),
        "min_sentence_chars": (0, None),
        "gram": (1, None),
        "min_overlap_chars": (0, None),
        "title_byte_limit": (1, None),
        "max_file_bytes": (1, None),
    }
)

#: Settings that take one of a few words.
_CHOICES: Mapping[str, tuple[str, ...]] = types.MappingProxyType({"duplicates": ("keep-one", "keep-all")})


class ConfigError(ValueError):
    """A configuration problem; ``str(error)`` is one line naming the file, the key and the fix."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a configuration file set.

    ``values`` maps Options field names to checked values (arrays as tuples); ``path`` is the file read
    (None when there was none); ``name`` is how messages and ``cleaner config`` name it (relative to
    the working folder when discovered, as given when explicit); ``sources`` maps each field set to
    that name.
    """

    values: Mapping[str, Any]
    path: Path | None = None
    name: str = ""
    sources: Mapping[str, str] = field(default_factory=dict)


def _field_types() -> Mapping[str, Any]:
    hints = typing.get_type_hints(Options)
    return types.MappingProxyType({f.name: hints[f.name] for f in fields(Options)})


#: Options field name → its type; :func:`_value` checks these: ``str``, ``bool``, ``int``, ``float``
#: and ``tuple[str, ...]``.
FIELD_TYPES = _field_types()
SUPPORTED_TYPES = (str, bool, int, float, tuple[str, ...])


def load(cwd: Path, explicit: Path | None = None) -> Loaded:
    """Read the configuration for a run started in ``cwd``: ``explicit`` if given, else the one found.

    Raises :class:`ConfigError` for a file that cannot be read, is not TOML, or sets anything wrong.
    """
    if explicit is not None:
        path = explicit if explicit.is_absolute() else cwd / explicit
        name = str(explicit)
        document = _parse(path, name)
        if path.name == PYPROJECT:
            table = _tool_table(document, name)
            if table is None:
                raise ConfigError(f"{name}: no [tool.cleaner] table")
            return _check(table, path, name, "[tool.cleaner] ")
        return _check(document, path, name, "")
    found = _discover(Path(os.path.abspath(cwd)))
    if found is None:
        return Loaded({})
    path, table = found
    name = _display(path, cwd)
    return _check(table, path, name, "[tool.cleaner] " if path.name == PYPROJECT else "")


def resolve(cwd: Path, explicit: Path | None, flags: Mapping[str, Any]) -> tuple[Options, dict[str, str]]:
    """The effective Options (defaults ← file ← ``flags``) and where each setting came from.

    ``flags`` maps Options field names to values given on the command line; ``None`` means "not
    given". Sources are ``"default"``, the file's name, or ``"command line"``.
    """
    return apply(load(cwd, explicit), flags)


def apply(loaded: Loaded, flags: Mapping[str, Any]) -> tuple[Options, dict[str, str]]:
    """:func:`resolve` for a file already loaded.

    >>> options, sources = apply(Loaded({"gram": 4}, None, "x.toml", {"gram": "x.toml"}),
    ...                          {"near_duplicate_ratio": 95, "include": None})
    >>> options.gram, options.near_duplicate_ratio, options.include
    (4, 95.0, ('*.md', '*.markdown', '*.txt'))
    >>> sources["gram"], sources["near_duplicate_ratio"], sources["include"]
    ('x.toml', 'command line', 'default')
    """
    given = {key: value for key, value in flags.items() if value is not None}
    unknown = sorted(set(given) - set(FIELD_TYPES))
    if unknown:
        raise ConfigError(f'{FLAGS}: unknown setting "{unknown[0]}"')
    from_flags = {key: _value(value, key, key, f"{FLAGS}: ") for key, value in given.items()}
    sources = dict.fromkeys(FIELD_TYPES, DEFAULT)
    sources.update(loaded.sources)
    sources.update(dict.fromkeys(from_flags, FLAGS))
    return Options().merged({**loaded.values, **from_flags}), sources


def toml_value(value: Any) -> str:
    r"""``value`` written as TOML, to paste into a configuration file; regexes as literal strings.

    >>> print(toml_value(r"-{2,}\s*END"), toml_value(("*.md", "a'b")), toml_value(True), toml_value(0.9))
    '-{2,}\s*END' ["*.md", "a'b"] true 0.9
    """
    if isinstance(value, tuple | list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, str) and "\\" in value and "'" not in value and value.isprintable():
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False)


def plain(value: Any) -> Any:
    """``value`` as JSON can hold it (tuples as lists)."""
    return list(value) if isinstance(value, tuple) else value


# --- finding and reading the file ---------------------------------------------------------------------


def _discover(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The first folder from ``start`` upwards with settings, and its settings table."""
    for folder in (start, *start.parents):
        dot = folder / DOT_FILE
        if dot.is_file():
            return dot, _parse(dot, _display(dot, start))
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            name = _display(pyproject, start)
            table = _tool_table(_parse(pyproject, name), name)
            if table is not None:
                return pyproject, table
        if (folder / ".git").exists():  # a folder, or a file in a worktree or submodule
            return None
    return None


def _display(path: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(path, os.path.abspath(cwd))
    except ValueError:  # another drive on Windows
        return str(path)


def _parse(path: Path, name: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{name}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{name}: not valid TOML: {error}") from None


def _tool_table(document: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    tool = document.get("tool")
    if not isinstance(tool, dict) or "cleaner" not in tool:
        return None
    table = tool["cleaner"]
    if not isinstance(table, dict):
        raise ConfigError(f"{name}: [tool.cleaner] must be a table, got {_toml_type(table)}")
    return table


# --- checking the values --------------------------------------------------------------------------------


def _check(table: Mapping[str, Any], path: Path, name: str, section: str) -> Loaded:
    where = f"{name}: {section}"
    values: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for key, value in table.items():
        setting = _field_name(key, where, section)
        if setting in spelled:
            raise ConfigError(f'{where}"{spelled[setting]}" and "{key}" set the same setting; keep one')
        spelled[setting] = key
        values[setting] = _value(value, setting, key, where)
    return Loaded(
        types.MappingProxyType(values),
        path,
        name,
        types.MappingProxyType(dict.fromkeys(values, name)),
    )


def _field_name(key: str, where: str, section: str) -> str:
    normal = key.replace("-", "_")
    normal = ALIASES.get(normal, normal)
    if normal in FIELD_TYPES:
        return normal
    message = f'{where}unknown key "{key}"'
    known = [*FIELD_TYPES, *ALIASES]
    close = difflib.get_close_matches(key.replace("-", "_"), known, n=1, cutoff=0.75)
    if close:
        suggestion = close[0].replace("_", "-") if "-" in key else close[0]
        message += f' (did you mean "{suggestion}"?)'
    elif key == "tool" and not section:
        message += " (in this file the settings are top-level keys, without [tool.cleaner])"
    raise ConfigError(message)


def _value(value: Any, setting: str, key: str, where: str) -> Any:
    """``value`` checked against the type of ``setting`` and converted (arrays to tuples, ints to floats)."""
    expected = FIELD_TYPES[setting]
    if expected is bool:
        ok = isinstance(value, bool)
        wanted = "true or false"
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        wanted = "an integer"
    elif expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        wanted = "a number"
        value = float(value) if ok else value
    elif expected is str:
        ok = isinstance(value, str)
        wanted = "a string"
    elif expected == tuple[str, ...]:
        ok = isinstance(value, list | tuple) and all(isinstance(item, str) for item in value)
        wanted = "an array of strings"
        if isinstance(value, list | tuple) and not ok:
            odd = next(item for item in value if not isinstance(item, str))
            raise ConfigError(f'{where}"{key}" must be {wanted}, got an array with {_toml_type(odd)}')
        value = tuple(value) if ok else value
    else:  # pragma: no cover - tests/test_config.py checks that every field has a type handled here
        raise TypeError(f"Options.{setting} has a type the configuration cannot check: {expected}")
    if not ok:
        raise ConfigError(f'{where}"{key}" must be {wanted}, got {_toml_type(value)}')
    _check_domain(value, setting, key, where)
    return value


def _check_domain(value: Any, setting: str, key: str, where: str) -> None:
    if setting in _RANGES:
        low, high = _RANGES[setting]
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise ConfigError(f'{where}"{key}" must be {bounds}, got {value}')
    if setting in _CHOICES and value not in _CHOICES[setting]:
        words = " or ".join(f'"{word}"' for word in _CHOICES[setting])
        raise ConfigError(f'{where}"{key}" must be {words}, got "{value}"')
    if setting in _REGEX_FIELDS:
        if isinstance(value, str):
            _check_regex(value, f'"{key}"', where)
        else:
            for number, pattern in enumerate(value, start=1):
                _check_regex(pattern, f'"{key}" item {number}', where)


def _check_regex(pattern: str, what: str, where: str) -> None:
    """Compile ``pattern`` as the engine does (``regex``, inside a group); refuse empty matches.

    >>> _check_regex("-{2,}END-{2,}", '"marker"', "")
    >>> _check_regex("(END", '"marker"', "x.toml: ")
    Traceback (most recent call last):
    cleaner.config.ConfigError: x.toml: "marker" is not a valid regular expression: missing ) at position 4
    """
    try:
        regex.compile(pattern)  # first alone, so that a position in the message is the user's
        compiled = regex.compile(f"(?:{pattern})")
    except regex.error as error:
        raise ConfigError(f"{where}{what} is not a valid regular expression: {error}") from None
    if compiled.fullmatch(""):
        raise ConfigError(f"{where}{what} matches the empty string, so it would match everywhere")


def _toml_type(value: Any) -> str:
    """The TOML name of a parsed value's type, for messages."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "table"
    if isinstance(value, datetime.datetime):
        return "date-time"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, datetime.time):
        return "time"
    return type(value).__name__
