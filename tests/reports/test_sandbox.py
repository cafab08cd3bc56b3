"""User templates are sandboxed (issue 11): a Word or HTML template someone sends cannot run
code; it is refused with a message naming it, and no report is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangvien_cli.core.errors import DangvienError, ExitCode
from dangvien_cli.reports.model import Report
from dangvien_cli.reports.render_docx import render_docx
from dangvien_cli.reports.render_html import render_html


def payloads(proof: Path) -> list[str]:
    """Templates that, in a plain Jinja environment, create the file `proof`."""
    run = f"popen('touch {proof}').read()"
    return [
        "{{ self.__init__.__globals__.__builtins__.__import__('os')." + run + " }}",
        "{{ cycler.__init__.__globals__.os." + run + " }}",
        "{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
        "{% if c.__name__ == 'Popen' %}{{ c('touch " + str(proof) + "', shell=True) }}"
        "{% endif %}{% endfor %}",
        "{{ report.__class__.__init__.__globals__ }}",
    ]


def _docx(path: Path, text: str) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo của {{ scope }}")
    document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.mark.parametrize("number", range(4))
def test_a_word_template_cannot_run_code(report: Report, tmp_path: Path, number: int) -> None:
    proof = tmp_path / "da-chay"
    template = _docx(tmp_path / "bao-cao-tinh.docx", payloads(proof)[number])
    out = tmp_path / "ket-qua.docx"

    with pytest.raises(DangvienError) as caught:
        render_docx(report, out, template=str(template))

    assert caught.value.exit_code == ExitCode.FAILURE
    assert "bao-cao-tinh.docx" in caught.value.message
    assert "bị từ chối" in caught.value.message
    assert not proof.exists()
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("number", range(4))
def test_an_html_template_cannot_run_code(report: Report, tmp_path: Path, number: int) -> None:
    proof = tmp_path / "da-chay"
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "doc.html").write_text(f"<p>{payloads(proof)[number]}</p>", encoding="utf-8")
    out = tmp_path / "ket-qua.html"

    with pytest.raises(DangvienError) as caught:
        render_html(report, out, template="doc.html", user_dir=folder)

    assert caught.value.exit_code == ExitCode.FAILURE
    assert "doc.html" in caught.value.message
    assert not proof.exists()
    assert not out.exists()


def test_through_the_command_line_exit_1_and_no_file(run, tmp_path: Path) -> None:
    run.ok("unit", "add", "Tỉnh Lai Châu", "--kind", "tinh")
    proof = tmp_path / "da-chay"
    template = _docx(tmp_path / "mau-gui-den.docx", payloads(proof)[0])

    result = run("report", "--year", "2025", "--docx", "--template", template)

    assert result.exit_code == 1, result.output
    message = " ".join(result.stderr.split())
    assert "mau-gui-den.docx" in message and "bị từ chối" in message
    assert "Traceback" not in result.output
    assert not proof.exists()
    assert not list(tmp_path.glob("bao-cao-*"))


def test_a_normal_user_template_renders_as_before(report: Report, tmp_path: Path) -> None:
    import docx

    template = _docx(tmp_path / "rieng.docx", "{% for r in rows %}{{ r.name }}; {% endfor %}")
    out = tmp_path / "ket-qua.docx"

    render_docx(report, out, template=str(template))

    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert text.startswith("Báo cáo của Tỉnh Lai Châu\n")
    assert "<b>Tam Đường</b>" in text  # autoescape keeps the XML whole, the text as it was
