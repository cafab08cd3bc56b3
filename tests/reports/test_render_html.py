"""The report page: self-contained, escaped, and drawn by a real browser."""

from __future__ import annotations

import dataclasses
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sample_report import BINH_LU, SCHOOL_AT_RISK, SCHOOL_NO_TARGET, SCHOOL_OK

from dangvien_cli.reports.model import Report
from dangvien_cli.reports.render_html import render_html

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Page(HTMLParser):
    """Collects what a browser would fetch, and the text a reader sees."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.fetches: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = dict(attrs).get("lang")
        for name, value in attrs:
            if name in {"src", "href", "srcset", "data", "poster", "action"}:
                self.fetches.append((tag, name, value or ""))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _render(report: Report, tmp_path: Path) -> tuple[Path, str, _Page]:
    path = tmp_path / "bao-cao-2024-2025.html"
    render_html(report, path)
    source = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(source)
    return path, source, page


def test_the_page_loads_nothing_from_anywhere(report: Report, tmp_path: Path) -> None:
    _, source, page = _render(report, tmp_path)
    assert page.fetches == []
    for tag in ("link", "script", "img", "iframe", "object", "embed"):
        assert tag not in page.tags
    lowered = source.lower()
    assert 'src="http' not in lowered and "<link" not in lowered and "@import" not in lowered
    assert "url(" not in lowered  # no fonts or backgrounds fetched from CSS
    assert "http" not in lowered


def test_the_page_is_vietnamese_utf8_with_charts_and_print_css(
    report: Report, tmp_path: Path
) -> None:
    _, source, page = _render(report, tmp_path)
    assert page.html_lang == "vi"
    assert '<meta charset="utf-8">' in source
    assert source.count("<svg") >= 2 * 3 + 1  # a bar per school in two charts, and the funnel
    assert "size: A4 landscape" in source
    assert "break-inside: avoid" in source
    text = " ".join(page.text)
    assert "Kết quả phát triển đảng viên trong học sinh năm học 2024-2025" in text
    for name in (SCHOOL_OK, SCHOOL_NO_TARGET, f"Cộng {BINH_LU}", "Tổng cộng"):
        assert name in text
    assert "18 (Σ)" in text and "16,7%" in text and "—" in text
    assert "Phễu" in text


def test_names_from_rosters_are_escaped(report: Report, tmp_path: Path) -> None:
    _, source, page = _render(report, tmp_path)
    assert "<b>Tam" not in source
    assert "&lt;b&gt;Tam Đường&lt;/b&gt;" in source
    assert "b" not in page.tags  # the name did not become markup
    assert SCHOOL_AT_RISK in " ".join(page.text)  # and reads as it was written


def test_names_only_with_names(report: Report, named_report: Report, tmp_path: Path) -> None:
    _, source, _ = _render(report, tmp_path)
    assert "Lò Thị Hương" not in source and "0123456789" not in source
    _, named, _ = _render(named_report, tmp_path)
    assert "Danh sách học sinh được tính" in named
    assert "Lò Thị Hương" in named and "0123456789" in named
    nobody = dataclasses.replace(report, with_names=True)
    _, empty, _ = _render(nobody, tmp_path)
    assert "Không có học sinh nào được tính trong kỳ này." in empty


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _pixels(png: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    pixels: list[tuple[int, ...]] = []
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                nearest = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + nearest) & 0xFF
        pixels.extend(tuple(line[x : x + 3]) for x in range(0, stride, channels))
        previous = line
    return width, height, pixels


def test_chromium_draws_the_page(report: Report, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium)")
    path, _, _ = _render(report, tmp_path)
    shot = tmp_path / "bao-cao.png"
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            f"--screenshot={shot}",
            "--window-size=1400,1000",
            path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert shot.exists()
    width, height, pixels = _pixels(shot.read_bytes())
    assert (width, height) == (1400, 1000)
    colours = {p[:3] for p in pixels}
    assert len(colours) > 50  # text, bars, table: not a blank page
    white = sum(1 for p in pixels if p == (255, 255, 255))
    assert white < 0.95 * len(pixels)

    def near(target: tuple[int, int, int]) -> int:
        return sum(
            1 for p in colours if all(abs(a - b) <= 3 for a, b in zip(p, target, strict=True))
        )

    assert near((0xFD, 0xEC, 0xEC)) > 0  # the at-risk row's background
    assert near((0x2E, 0x7D, 0x32)) > 0  # green bars: targets met
    assert near((0x1F, 0x6F, 0xB2)) > 0  # blue bars: done so far


def test_chromium_prints_a4_landscape(report: Report, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium)")
    path, _, _ = _render(report, tmp_path)
    pdf = tmp_path / "bao-cao.pdf"
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", data)
    assert boxes
    for width, height in boxes:  # A4 landscape: 842 x 595 points
        assert round(float(width)) == 842 and round(float(height)) == 595
