"""Reading the text out of report files: .txt, .docx, .html/.htm and the text layer of .pdf.

One maintained library per format: charset-normalizer for the encoding of plain text,
python-docx, beautifulsoup4 with lxml, pypdf. Every failure is an InputError that names
the file and says in a few words what is wrong with it.
"""

from __future__ import annotations

import codecs
import io
import logging
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from edukg.errors import InputError

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import _Cell

_MB = 1024 * 1024
# Size limits per format: text formats hold the text itself, .docx and .pdf also images.
SIZE_LIMIT_MB = {".txt": 20, ".docx": 50, ".html": 20, ".htm": 20, ".pdf": 100}
SUPPORTED_SUFFIXES = tuple(SIZE_LIMIT_MB)
# python-docx parses a package's XML whole; a .docx of 2 MB can unpack to gigabytes of it.
# Every member counts, whatever its name: the main part can be renamed away from .xml.
DOCX_UNPACKED_LIMIT_MB = 100
_EXPECTED = f"expected {', '.join(SUPPORTED_SUFFIXES)}"

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SURROGATE = re.compile("[\ud800-\udfff]")
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32), 127])
_MAX_CONTROL_SHARE = 0.01
_MIN_PLAIN_SHARE = 0.9
_UNDECODABLE = "cannot decode as UTF-8, GB18030 or UTF-16"
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_KEEP_SPACE = frozenset({"pre", "textarea"})
_INVISIBLE = ["script", "style", "template", "head"]

# pypdf logs its repairs of damaged files ("EOF marker not found"); a damaged file becomes
# an InputError here, so the notes stay silent unless the application configures logging.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def read_text(path: Path) -> str:
    """The text of a report file, as its format gives it (not yet normalised)."""
    suffix = path.suffix.lower()
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            # find_reports keeps a folder it could not list, so that its reason is told here.
            listable = os.access(path, os.R_OK | os.X_OK)
            raise InputError(
                path, "is a directory" if listable else "permission denied (cannot list the folder)"
            )
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, "not a regular file")
        if suffix not in SIZE_LIMIT_MB:
            raise InputError(path, f"unsupported file type {suffix or '(no extension)'} ({_EXPECTED})")
        if info.st_size > SIZE_LIMIT_MB[suffix] * _MB:
            raise InputError(path, f"too large ({info.st_size / _MB:.1f} MB > {SIZE_LIMIT_MB[suffix]} MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as error:
        raise InputError(path, (error.strerror or str(error)).lower()) from None
    if not data:
        raise InputError(path, "empty file")
    text = _without_surrogates(_READERS[suffix](data, path))
    if not text.strip():
        raise InputError(path, "no text layer in PDF" if suffix == ".pdf" else "no text")
    return text


def decode_text(data: bytes, path: object) -> str:
    """Bytes of a plain-text file as text: a BOM, else strict UTF-8, else GB18030 as detected.

    Short GBK text is often valid UTF-8 by accident (学校 is D1A7 D0A3, UTF-8 for "ѧУ"),
    so UTF-8 without a single CJK character gives way to a GB18030 reading that has some.

    >>> decode_text("学校".encode("gbk"), "a.txt"), decode_text("学校".encode("utf-8"), "a.txt")
    ('学校', '学校')
    """
    import charset_normalizer

    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _decode_or_none(data, codec)
            # UTF-32 starts with the UTF-16 LE BOM and reads as UTF-16 full of NULs.
            if text is None or "\x00" in text:
                raise InputError(path, _UNDECODABLE)
            return text.removeprefix("\ufeff")
    unmarked = _utf16_without_bom(data)
    if unmarked is not None:
        return unmarked
    if _looks_binary(data):
        raise InputError(path, "binary data, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if text.isascii():
            # UTF-7 is ASCII: Chinese in it reads as +base64- runs unless decoded.
            utf7 = _decode_or_none(data, "utf-7") if b"+" in data else None
            return utf7.removeprefix("\ufeff") if utf7 and _CJK.search(utf7) else text
        if _CJK.search(text):
            return text
        gb18030 = _decode_or_none(data, "gb18030")
        return gb18030 if gb18030 and _CJK.search(gb18030) else text
    best = charset_normalizer.from_bytes(data, cp_isolation=["gb18030"]).best()
    decoded = _decode_or_none(data, best.encoding) if best else None
    if decoded is None:
        raise InputError(path, _UNDECODABLE)
    return decoded


def _utf16_without_bom(data: bytes) -> str | None:
    """``data`` as UTF-16 of either byte order when it has no BOM but reads as Chinese text
    (line breaks and digits are where the NUL bytes come from), else None."""
    if b"\x00" not in data or len(data) % 2:
        return None
    readings = [text for codec in ("utf-16-le", "utf-16-be") if (text := _decode_or_none(data, codec))]
    for text in sorted(readings, key=_plain_share, reverse=True):
        if _CJK.search(text) and _plain_share(text) >= _MIN_PLAIN_SHARE:
            return text
    return None


def _plain_share(text: str) -> float:
    """The share of ``text`` that is Chinese, CJK punctuation or printable ASCII and line breaks."""
    plain = len(_CJK.findall(text)) + sum(1 for char in text if " " <= char <= "~" or char in "\t\n\r")
    return plain / len(text)


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or more control bytes than text ever holds (charset-normalizer's
    ``is_binary`` calls plain Chinese UTF-8 binary, so it cannot decide this)."""
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return b"\x00" in data or controls > len(data) * _MAX_CONTROL_SHARE


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    """``data`` decoded, or None when it is not text in ``encoding`` (or ``encoding`` is a codec
    of bytes, such as base64 or zlib, rather than a text encoding)."""
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (which no UTF encodes, so nothing downstream can
    write it) replaced by U+FFFD; codecs such as unicode_escape and PDF ToUnicode maps
    can produce them."""
    return _SURROGATE.sub("\ufffd", text)


def _read_docx(data: bytes, path: Path) -> str:
    """Body paragraphs in document order; a table row is one line with its cells tab-separated."""
    import docx

    unpacked = _unpacked(data)
    if unpacked > DOCX_UNPACKED_LIMIT_MB * _MB:
        raise InputError(path, f"too large unpacked ({unpacked / _MB:.1f} MB > {DOCX_UNPACKED_LIMIT_MB} MB)")
    try:
        document = docx.Document(io.BytesIO(data))
        return "\n".join(_docx_lines(document))
    # python-docx surfaces a damaged package as any of zipfile, lxml, KeyError or its own errors.
    except Exception:
        raise InputError(path, "not a valid .docx (truncated or corrupt)") from None


def _unpacked(data: bytes) -> int:
    """Bytes the package unpacks to, by its zip directory (0 if it is no zip); zipfile stops at
    the size an entry declares, so the sum bounds what python-docx would parse."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0  # python-docx says what is wrong with it


def _docx_lines(container: Document | _Cell) -> Iterator[str]:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = list({cell._tc: cell for cell in row.cells}.values())  # a merged cell repeats
                yield "\t".join("\n".join(_docx_lines(cell)) for cell in cells)
        else:
            yield block.text


def _read_html(data: bytes, path: Path) -> str:
    """Visible text: block elements and <br> end lines (no empty ones), table cells are tab-separated."""
    from bs4 import BeautifulSoup, NavigableString
    from bs4.builder import HTMLTreeBuilder
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    markup = _decode_declared(data, declared) if declared else None
    markup = _without_surrogates(markup) if markup is not None else None
    soup = BeautifulSoup(markup if markup is not None else decode_text(data, path), "lxml")
    for tag in soup(_INVISIBLE):
        tag.decompose()
    for string in soup.find_all(string=True):
        # Comments, doctypes and the like are NavigableString subclasses that get_text skips.
        if type(string) is NavigableString and not any(p.name in _KEEP_SPACE for p in string.parents):
            string.replace_with(NavigableString(_HTML_SPACE.sub(" ", string)))
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all(["td", "th"]):
        tag.insert_after("\t")
    for tag in soup.find_all([*HTMLTreeBuilder.DEFAULT_BLOCK_ELEMENTS, "tr", "caption", "summary"]):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (line.strip(" \t") for line in soup.get_text().split("\n"))
    return "\n".join(line for line in lines if line)


def _decode_declared(data: bytes, declared: str) -> str | None:
    """``data`` in the encoding a <meta> declares; GB2312 and GBK widen to GB18030."""
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return None
    wider = {"gb2312": "gb18030", "gbk": "gb18030", "utf-8": "utf-8-sig"}  # utf-8-sig drops a BOM
    return _decode_or_none(data, wider.get(codec, codec))


def _read_pdf(data: bytes, path: Path) -> str:
    """The text layer of every page, pages separated by a line break."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(path, "encrypted PDF (password required)")
        return "\n".join(page.extract_text() for page in reader.pages)
    except InputError:
        raise
    # pypdf reports damage as PdfReadError, PdfStreamError, ValueError, KeyError or others.
    except Exception:
        raise InputError(path, "not a valid .pdf (truncated or corrupt)") from None


_READERS: dict[str, Callable[[bytes, Path], str]] = {
    ".txt": decode_text,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
}


def find_reports(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Report files under ``paths``: directories expanded, files kept as given.

    A directory contributes its supported files, recursively and sorted, leaving out hidden
    files and folders; symbolic links are followed, each directory once, so loops end.
    A folder that cannot be listed is kept as it is, so that reading it says why.
    """
    found: list[Path] = []
    for given in map(Path, paths):
        if os.path.isdir(given):  # False, not an error, in a folder the user cannot enter: reading says why
            found.extend(_files_under(given))
        else:
            found.append(given)
    return list(dict.fromkeys(found))


def _files_under(root: Path) -> list[Path]:
    """The supported files under ``root``, walked with a stack of folders, not recursion (a
    folder 1,500 deep exceeded Python's recursion limit inside os.walk)."""
    seen: set[str] = set()
    files: list[Path] = []
    folders = [str(root)]
    while folders:
        folder = folders.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            files.append(Path(folder))  # reading it says why it cannot be listed
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if _is_folder(entry):
                folders.append(entry.path)
            elif Path(entry.name).suffix.lower() in SIZE_LIMIT_MB:
                files.append(Path(entry.path))
    return sorted(files, key=lambda path: path.parts)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a folder, following symbolic links (a loop or a dangling one is not)."""
    try:
        return entry.is_dir()
    except OSError:
        return False
