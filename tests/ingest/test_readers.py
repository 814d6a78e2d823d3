"""Readers: every format and encoding from fixtures built here, and every kind of bad input."""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from edukg.errors import InputError
from edukg.ingest import find_reports, read_report
from edukg.ingest.readers import decode_text, read_text

BODY = "一、加强组织领导\n区教育局召开专题会议，部署全年工作。\n下一步，我们将继续推进。"


def pdf_bytes(lines: list[str]) -> bytes:
    """A PDF whose text layer holds ``lines`` (reportlab's built-in Chinese CID font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 12)
    for number, line in enumerate(lines):
        page.drawString(72, 760 - 20 * number, line)
    if not lines:
        page.rect(72, 700, 100, 50)
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx_bytes(
    paragraphs: list[str], table: list[list[str]] | None = None, merged_first_row: str = ""
) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
        if merged_first_row:
            grid.cell(0, 0).merge(grid.cell(0, len(table[0]) - 1)).text = merged_first_row
        document.add_paragraph("表后段落。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.txt", BODY.encode("utf-8")),
        ("utf8-bom.txt", codecs.BOM_UTF8 + BODY.encode("utf-8")),
        ("gb18030.txt", BODY.encode("gb18030")),
        ("gbk.txt", BODY.encode("gbk")),
        ("utf16le.txt", codecs.BOM_UTF16_LE + BODY.encode("utf-16-le")),
        ("utf16be.txt", codecs.BOM_UTF16_BE + BODY.encode("utf-16-be")),
        ("crlf.txt", BODY.replace("\n", "\r\n").encode("utf-8")),
        ("upper.TXT", BODY.encode("utf-8")),
    ],
)
def test_read_report_txt_encodings(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    report = read_report(path)
    assert report.text == BODY
    assert report.source == name
    assert report.bureau == "区教育局"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("学校", "gbk"),  # D1A7 D0A3 is also valid UTF-8 ("ѧУ")
        ("教育局", "gbk"),
        ("中文", "gb18030"),
        ("下一步", "gbk"),
        ("实效", "gbk"),
        ("学校", "utf-8"),
        ("××市教育局", "utf-8"),
        ("教育局召开会议。", "gb18030"),
        ("𠮷是四字节的字。", "gb18030"),  # beyond GBK: a four-byte GB18030 sequence
        ("教育局召开会议。", "utf-8"),
        ("plain ascii", "utf-8"),
    ],
)
def test_decode_text_short_chinese(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding), "short.txt") == text


def test_read_report_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(
        docx_bytes(
            ["市教育局工作汇报", "一、主要工作", "全年完成培训。"],
            table=[["", ""], ["指标", "数量"], ["新增学位", "1200个"]],
            merged_first_row="学位情况",
        )
    )
    report = read_report(path)
    assert report.text.split("\n") == [
        "市教育局工作汇报",
        "一、主要工作",
        "全年完成培训。",
        "学位情况",
        "指标\t数量",
        "新增学位\t1200个",
        "表后段落。",
    ]
    assert report.title == "市教育局工作汇报"


@pytest.mark.parametrize(
    ("html", "encoding", "expected"),
    [
        (
            "<html><head><title>不显示</title><style>p{color:red}</style></head><body>"
            "<h1>区教育局工作总结</h1><p>一、开展\n  培训<b>三场</b>。</p>"
            "<script>var x = '脚本';</script><div>第二段<br>换行。</div></body></html>",
            "utf-8",
            ["区教育局工作总结", "一、开展培训三场。", "第二段", "换行。"],  # no space inside Chinese
        ),
        (
            '<html><head><meta charset="gb2312"></head><body><p>市教育局汇报。</p>'
            "<ul><li>第一项。</li><li>第二项。</li></ul></body></html>",
            "gb18030",
            ["市教育局汇报。", "第一项。", "第二项。"],
        ),
        (
            "<body><table><tr><td>指标</td><td>数量</td></tr><tr><td>学位</td><td>200个</td></tr></table>"
            "<!-- 注释 --><pre>保留  空格</pre></body>",
            "utf-8",
            ["指标\t数量", "学位\t200个", "保留空格"],
        ),
        ("<p>没有声明编码的中文网页。</p>", "gbk", ["没有声明编码的中文网页。"]),
        ('<meta charset="utf-8"><p>带字节序标记的网页。</p>', "utf-8-sig", ["带字节序标记的网页。"]),
    ],
)
def test_read_report_html_visible_text(tmp_path: Path, html: str, encoding: str, expected: list[str]) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(html.encode(encoding))
    assert read_report(path).text.split("\n") == expected


def test_read_report_pdf_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes(["市教育局工作汇报", "一、加强党的领导，确保工作开展。"]))
    report = read_report(path)
    assert report.text == "市教育局工作汇报\n一、加强党的领导，确保工作开展。"
    assert [section.heading for section in report.sections] == ["加强党的领导，确保工作开展"]


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["机密。"]))))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


UNDECODABLE = "cannot decode as UTF-8, GB18030 or UTF-16"
BAD_INPUTS = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b" \r\n\t\n", "no text"),
    ("binary.txt", bytes(range(256)) * 8, "binary data, not text"),
    ("zip-as-text.txt", docx_bytes(["正文。"]), "binary data, not text"),
    ("garbage.txt", b"\x81\x20\x81\x20\xff\xfe\xfd" * 5, UNDECODABLE),
    ("utf32.txt", "正文".encode("utf-32"), UNDECODABLE),
    ("odd-utf16.txt", codecs.BOM_UTF16_LE + "正文".encode("utf-16-le") + b"\x00", UNDECODABLE),
    ("truncated.docx", docx_bytes(["正文。"])[:800], "not a valid .docx (truncated or corrupt)"),
    ("text-as.docx", "不是文档".encode(), "not a valid .docx (truncated or corrupt)"),
    ("empty-body.docx", docx_bytes([]), "no text"),
    ("truncated.pdf", pdf_bytes(["正文。"])[:700], "not a valid .pdf (truncated or corrupt)"),
    ("scanned.pdf", pdf_bytes([]), "no text layer in PDF"),
    ("locked.pdf", encrypted_pdf(), "encrypted PDF (password required)"),
    ("empty-page.html", b"<html><body><script>x()</script></body></html>", "no text"),
    ("report.xyz", "正文。".encode(), "unsupported file type .xyz (expected .txt, .docx, .html, .htm, .pdf)"),
    (
        "README",
        "正文。".encode(),
        "unsupported file type (no extension) (expected .txt, .docx, .html, .htm, .pdf)",
    ),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_read_report_bad_input(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as raised:
        read_report(path)
    assert raised.value.reason == reason
    assert str(raised.value) == f"{path}: {reason}"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda folder: folder, "is a directory"),
        (lambda folder: folder / "missing.txt", "no such file"),
        (lambda folder: (os.mkfifo(folder / "pipe.txt"), folder / "pipe.txt")[1], "not a regular file"),
    ],
    ids=["directory", "missing", "fifo"],
)
def test_read_report_not_a_file(tmp_path: Path, make: Callable[[Path], Path], reason: str) -> None:
    with pytest.raises(InputError) as raised:
        read_report(make(tmp_path))
    assert raised.value.reason == reason


def test_read_report_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as sparse:
        sparse.truncate(21 * 1024 * 1024)
    with pytest.raises(InputError) as raised:
        read_report(path)
    assert raised.value.reason == "too large (21.0 MB > 20 MB)"


@pytest.mark.parametrize(("folder_mode", "file_mode"), [(0o711, 0o600), (0o700, 0o644)])
def test_read_report_permission_denied(tmp_path: Path, folder_mode: int, file_mode: int) -> None:
    """Read as an unprivileged user (root reads everything) in a forked child process."""
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "secret.txt"
    path.write_text("正文。", encoding="utf-8")
    as_root = os.geteuid() == 0  # root reads anything: the child drops to nobody; else shut the owner out
    path.chmod(file_mode if as_root else file_mode & 0o077)
    folder.chmod(folder_mode if as_root else folder_mode & 0o077)
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which must never return into pytest
        try:
            os.close(reader)
            if as_root:
                os.setgid(65534)
                os.setuid(65534)
            try:
                read_text(path)
                outcome = "read"
            except InputError as error:
                outcome = error.reason
            os.write(writer, outcome.encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        outcome = pipe.read()
    os.waitpid(child, 0)
    folder.chmod(0o700)
    assert outcome == "permission denied"


def test_read_text_keeps_format_text_unnormalised(tmp_path: Path) -> None:
    path = tmp_path / "spaces.txt"
    path.write_bytes("标题  \r\n\r\n正文。\r\n".encode())
    assert read_text(path) == "标题  \r\n\r\n正文。\r\n"
    assert read_report(path).text == "标题\n\n正文。"


def test_find_reports_expands_directories(tmp_path: Path) -> None:
    for relative in ["b.txt", "a.docx", "sub/c.html", "sub/d.PDF", "notes.md", ".hidden.txt", ".git/e.txt"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("正文。", encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "sub" / "self").symlink_to(tmp_path / "sub", target_is_directory=True)
    given = tmp_path / "notes.md"

    found = find_reports([tmp_path, given, tmp_path / "b.txt"])

    assert found == [
        tmp_path / "a.docx",
        tmp_path / "b.txt",
        tmp_path / "sub" / "c.html",
        tmp_path / "sub" / "d.PDF",
        given,
    ]
