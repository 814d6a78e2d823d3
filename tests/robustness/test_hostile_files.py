"""Hostile report files, round two (issue 21): each is at most its own report's one-line failure.

Before: an .html whose <meta charset> named a codec that is no text encoding raised
LookupError, and lone surrogates (from ``unicode_escape`` or a PDF's ToUnicode map)
raised UnicodeEncodeError, aborting the whole build; a .docx whose document part was
renamed away from ``.xml`` escaped the unpacked-size limit.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from edukg.graph.build import Failure, build_from_paths, iter_extractions
from edukg.ingest.readers import read_text
from edukg.records import Extraction

GOOD = "某市教育局2023年工作总结。全市各级学校认真开展教育教学工作。"


def html(charset: str, body: bytes) -> bytes:
    return (
        b'<html><head><meta charset="'
        + charset.encode()
        + b'"></head><body><p>'
        + body
        + b"</p></body></html>"
    )


def pdf_with_to_unicode(target: str) -> bytes:
    """A one-page PDF whose font's ToUnicode map sends its one glyph code to ``target`` (hex)."""
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
        "1 begincodespacerange <00> <FF> endcodespacerange "
        f"1 beginbfchar <41> <{target}> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    content = b"BT /F1 12 Tf 72 720 Td (AAAA) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# (file name, content): each must be read, or refused with a reason, never raise anything else.
HOSTILE = [
    *[
        (f"{codec}.html", html(codec, GOOD.encode()))
        for codec in ("rot13", "base64", "zlib", "hex", "uu", "bz2")
    ],
    ("unicode-escape.html", html("unicode_escape", b"\\ud800" + GOOD.encode("unicode_escape"))),
    ("raw-unicode-escape.html", html("raw_unicode_escape", b"\\udfff" + GOOD.encode("raw_unicode_escape"))),
    ("to-unicode-d800.pdf", pdf_with_to_unicode("D800")),
    ("to-unicode-dfff-d800.pdf", pdf_with_to_unicode("DFFFD800")),
]


@pytest.mark.parametrize(("name", "content"), HOSTILE, ids=[name for name, _ in HOSTILE])
def test_hostile_file_is_read_or_refused_never_raised(tmp_path: Path, name: str, content: bytes) -> None:
    from edukg.errors import InputError

    path = tmp_path / name
    path.write_bytes(content)
    try:
        text = read_text(path)
    except InputError:
        return  # refused by name: the build's one line
    assert not any("\ud800" <= char <= "\udfff" for char in text)  # a lone surrogate is no text
    text.encode("utf-8")


def test_hostile_files_beside_a_good_one_leave_the_build_whole(tmp_path: Path) -> None:
    for name, content in HOSTILE:
        (tmp_path / name).write_bytes(content)
    (tmp_path / "good.txt").write_text(GOOD * 20, encoding="utf-8")
    result = build_from_paths([tmp_path])
    assert result.read + len(result.failures) == len(HOSTILE) + 1
    assert any(node["label"] == "Report" for _, node in result.graph.nodes(data=True))
    assert all("\n" not in str(failure) for failure in result.failures)


def renamed_document(paragraphs_mb: int) -> bytes:
    """A .docx whose main part is ``word/document.bin`` (content types and rels follow it),
    holding ``paragraphs_mb`` MB of paragraphs, deflated to a small file."""
    import docx

    document = docx.Document()
    document.add_paragraph(GOOD)
    plain = io.BytesIO()
    document.save(plain)
    template = zipfile.ZipFile(plain)
    paragraph = ("<w:p><w:r><w:t>" + GOOD * 100 + "</w:t></w:r></w:p>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as renamed:
        for info in template.infolist():
            data = template.read(info.filename).replace(b"word/document.xml", b"word/document.bin")
            if info.filename == "[Content_Types].xml":
                data = data.replace(b'PartName="/word/document.xml"', b'PartName="/word/document.bin"')
            if info.filename != "word/document.xml":
                renamed.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with renamed.open("word/document.bin", "w", force_zip64=True) as part:
                part.write(head + b"<w:body>")
                for _ in range(paragraphs_mb * 1024 * 1024 // len(paragraph)):
                    part.write(paragraph)
                part.write(tail)
    return out.getvalue()


def test_docx_limit_counts_every_member_whatever_its_name(tmp_path: Path) -> None:
    from edukg.errors import InputError

    small = tmp_path / "small.docx"
    small.write_bytes(renamed_document(1))
    assert GOOD in read_text(small)  # python-docx does follow the renamed part
    bomb = tmp_path / "renamed.docx"
    bomb.write_bytes(renamed_document(200))
    assert bomb.stat().st_size < 10 * 1024 * 1024
    with pytest.raises(InputError, match=r"too large unpacked \(20\d\.\d MB > \d+ MB\)"):
        read_text(bomb)


def test_names_at_the_length_limit_build_one_extraction_each(tmp_path: Path) -> None:
    """Before: a 255-byte file name aborted the build ("File name too long") when its extraction
    file was named; two long names equal once shortened must not share one."""
    reports = tmp_path / "reports"
    reports.mkdir()
    stems = ["a" * 251, "报" * 83, "b" * 240 + "one", "b" * 240 + "two"]
    for index, stem in enumerate(stems):
        (reports / f"{stem}.txt").write_text(f"{GOOD}\n第{index + 1}项工作。", encoding="utf-8")
    out = tmp_path / "out"
    written = []
    from edukg.graph.export_extractions import ExtractionWriter, to_extraction_file

    writer = ExtractionWriter(out)
    result = build_from_paths([reports], per_report=to_extraction_file, on_report=writer)
    assert (result.read, result.failures) == (len(stems), ())
    written = sorted(out.iterdir())
    assert len(written) == len(stems)
    assert all(len(path.name.encode()) <= 255 for path in written)


def test_a_folder_1500_deep_is_walked(tmp_path: Path) -> None:
    """Before: os.walk recursed once per level, and 1,500 levels raised RecursionError."""
    from edukg.ingest import find_reports

    deep = tmp_path
    for _ in range(1500):  # one level at a time: pathlib's and os.makedirs's own recursion stops sooner
        deep = deep / "d"
        deep.mkdir()
    (deep / "report.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "top.txt").write_text(GOOD, encoding="utf-8")
    try:
        assert find_reports([tmp_path]) == [deep / "report.txt", tmp_path / "top.txt"]
    finally:  # shutil.rmtree, which cleans pytest's folders, recurses once per level too
        (deep / "report.txt").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def fails_on_the_second(extraction: Extraction) -> str:
    """What a fault in extraction's later steps looks like: an error on one report's text."""
    if "第2项" in extraction.report.text:
        raise ValueError("a fault on this report's text")
    return extraction.report.source


def test_a_fault_on_one_report_is_its_failure_alone(tmp_path: Path) -> None:
    paths = []
    for index in range(3):
        paths.append(tmp_path / f"r{index}.txt")
        paths[-1].write_text(f"{GOOD}\n第{index + 1}项工作。", encoding="utf-8")
    outcomes = list(iter_extractions(paths, then=fails_on_the_second))
    assert outcomes[0] == "r0.txt" and outcomes[2] == "r2.txt"
    assert outcomes[1] == Failure(
        str(paths[1]), "could not be extracted (ValueError: a fault on this report's text); please report it"
    )
