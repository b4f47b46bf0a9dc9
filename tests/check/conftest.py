from __future__ import annotations

import pytest

from mailkit.check import caniemail


@pytest.fixture(autouse=True)
def _no_npm(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check tests never reach the network: any npm call fails loudly."""
    def refuse(*args: str, cwd: object) -> str:
        raise AssertionError(f"a test tried to run npm {args}")

    monkeypatch.setattr(caniemail, "_npm", refuse)
