"""Fixtures for the renderers: the sample report, with names and without."""

from __future__ import annotations

import pytest
from sample_report import build_report

from dangvien_cli.reports.model import Report


@pytest.fixture
def report() -> Report:
    """The report as it leaves the machine by default: counts only."""
    return build_report(with_names=False)


@pytest.fixture
def named_report() -> Report:
    """The same report with --with-names."""
    return build_report(with_names=True)
