"""Byte-exact round trips: every file under ``data/roundtrip`` loads and saves back to the
identical bytes, whatever it holds (invalid UTF-8, NUL, CR, CRLF, BOM, escape sequences)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiro_proto.core import BOM, Document, decode, load_file, save_file

from .support import SmallBuffer, TinyBuffer

DATA = Path(__file__).parent / "data" / "roundtrip"
CASES = sorted(p.name for p in DATA.iterdir() if p.is_file())

DOMINANT = {
    "empty.txt": b"\n",
    "lf.txt": b"\n",
    "crlf.txt": b"\r\n",
    "mixed_endings.txt": b"\r\n",  # 3 CRLF of 5 line ends
    "lone_cr.txt": b"\n",  # a lone CR is not a line ending
    "only_newlines.txt": b"\n",  # 1 CRLF of 4
    "bom_lf.txt": b"\n",
    "bom_crlf.txt": b"\r\n",
    "cr_before_eof_after_lf.txt": b"\r\n",
    "trailing_cr.txt": b"\n",
}


def test_cases_are_present() -> None:
    assert len(CASES) >= 15
    assert "empty.txt" in CASES and "invalid_utf8.txt" in CASES and "bom_crlf.txt" in CASES


@pytest.mark.parametrize("name", CASES)
def test_load_then_save_is_byte_identical(name: str, tmp_path: Path) -> None:
    data = (DATA / name).read_bytes()
    loaded = load_file(str(DATA / name))
    assert loaded.exists and loaded.size == len(data)
    assert loaded.document.to_bytes() == data
    out = tmp_path / name
    written = save_file(loaded.document, str(out))
    assert written == len(data)
    assert out.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("make", [bytes, SmallBuffer.from_bytes, TinyBuffer.from_bytes],
                         ids=["bytes", "small-blocks", "tiny-blocks"])
def test_document_round_trip_and_bom(name: str, make) -> None:
    data = (DATA / name).read_bytes()
    doc = Document(make(data))
    assert doc.to_bytes() == data
    has_bom = data.startswith(BOM)
    assert doc.bom == (BOM if has_bom else b"")
    body = data[3:] if has_bom else data
    assert doc.text() == decode(body)
    assert not doc.text().startswith("\ufeff") or data.startswith(BOM + BOM)
    assert len(doc) == len(body)
    assert "\n".join(doc.raw_line_bytes(r).decode("utf-8", "surrogateescape")
                     for r in range(doc.line_count)) == decode(body)
    if name in DOMINANT:
        assert doc.newline == DOMINANT[name]
        assert doc.newline_name == ("CRLF" if DOMINANT[name] == b"\r\n" else "LF")


def test_bom_is_kept_out_of_text_and_coordinates() -> None:
    doc = Document(BOM + b"ab\ncd")
    assert doc.text() == "ab\ncd"
    assert doc.line_text(0) == "ab"
    assert doc.offset_of(doc.end()) == 5  # offsets exclude the BOM
    doc.replace(doc.end(), doc.end(), "!")
    assert doc.to_bytes() == BOM + b"ab\ncd!"
    # deleting everything keeps the BOM: it is file metadata, not text
    doc.replace(type(doc.end())(0, 0), doc.end(), "")
    assert doc.to_bytes() == BOM


def test_explicit_newline_overrides_detection() -> None:
    assert Document(b"a\nb\n", newline=b"\r\n").newline == b"\r\n"
    assert Document(b"a\r\nb\r\n").newline == b"\r\n"
    assert Document(b"a\r\nb\n").newline == b"\n"  # a tie is not a majority
