"""cleaner: canonical articles from scraped and LLM-generated corpora.

>>> from cleaner import clean_text
>>> clean_text("本文です。\\n---END---\\n本文です。").text
'本文です。\\n'
"""

from __future__ import annotations

from cleaner.model import Action, Finding, Kind, Result
from cleaner.options import Options
from cleaner.pipeline import clean_bytes, clean_text

__all__ = ["Action", "Finding", "Kind", "Options", "Result", "clean_bytes", "clean_text"]
__version__ = "0.1.0"
