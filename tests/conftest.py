"""Shared test helpers: where ../shared is, and skipping cleanly when a fresh clone has none."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared is not here (a fresh clone has none)")
    return SHARED
