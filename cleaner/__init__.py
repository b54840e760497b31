"""cleaner: canonical articles from scraped and LLM-generated corpora.

>>> from cleaner import clean_text
>>> clean_text("本文です。\\n---END---\\n本文です。").text
'本文です。\\n'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleaner.model import Action, Finding, Kind, Result
    from cleaner.options import Options
    from cleaner.pipeline import clean_bytes, clean_text

__all__ = ["Action", "Finding", "Kind", "Options", "Result", "clean_bytes", "clean_text"]
__version__ = "0.2.0"


#: Where each public name lives; loaded on first use (PEP 562): ``cleaner --version`` and ``--help``
#: import this package and need none of the engine.
_PUBLIC = {
    "Action": "cleaner.model",
    "Finding": "cleaner.model",
    "Kind": "cleaner.model",
    "Result": "cleaner.model",
    "Options": "cleaner.options",
    "clean_bytes": "cleaner.pipeline",
    "clean_text": "cleaner.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
