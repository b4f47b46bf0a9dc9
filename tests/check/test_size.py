from __future__ import annotations

import pytest

from mailkit.check import CheckConfig

from .helpers import make_doc, page, run


def padded(kb: float) -> str:
    """A page of about `kb` KB (UTF-8), padded with an HTML comment."""
    base = page("<p>x</p>")
    return page("<p>x</p><!--" + "a" * (int(kb * 1024) - len(base.encode()) - 7) + "-->")


@pytest.mark.parametrize(("kb", "severity"), [(50, None), (95, "warning"), (103, "error")])
def test_size_thresholds(kb: float, severity: str | None) -> None:
    findings = run("size", html=padded(kb))
    assert findings[0].severity == "info" and "KB" in findings[0].message
    assert [f.severity for f in findings[1:]] == ([severity] if severity else [])


def test_size_counts_utf8_bytes_not_characters() -> None:
    html = page("<p>" + "é" * 30_000 + "</p>")  # 30,000 characters, 60,000 bytes
    assert run("size", html=html)[0].where.startswith(f"{len(html.encode()) / 1024:.1f}")


def test_size_thresholds_are_configurable() -> None:
    findings = run("size", html=padded(50), config=CheckConfig(size_warn_kb=40, size_fail_kb=45))
    assert [f.severity for f in findings] == ["info", "error"]


def test_make_doc_is_small() -> None:
    assert len(make_doc().html) < 4000


@pytest.mark.parametrize(("kb", "flagged"), [(15, False), (17, True)])
def test_gmail_drops_style_blocks_over_16_kb(kb: int, flagged: bool) -> None:
    css = ".a { color: #000000; }\n" * (kb * 1024 // 23)
    found = [f for f in run("size", html=page("<p>x</p>", head=f"<style>{css}</style>"))
             if "<style>" in f.message]
    assert bool(found) is flagged
