"""Terminal safety and line layout: no byte of a file reaches the terminal raw, tabs and
wide characters land in the right cells."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiro_proto.core import char_cells, decode, layout_line, sanitize

from .support import FAST


def test_printable_ascii_is_the_identity() -> None:
    lay = layout_line("plain text")
    assert lay.display == "plain text"
    assert lay.dpos is None and lay.cells is None and lay.badges == ()
    assert lay.width == 10
    assert lay.col_to_cell(4) == 4 and lay.cell_to_col(4) == 4
    assert lay.cell_to_col(99) == 10
    assert lay.cell_to_col(-3) == 0


def test_badges() -> None:
    cases = {
        "\x1b": ("^[", "control"),
        "\x00": ("^@", "control"),
        "\x07": ("^G", "control"),
        "\r": ("^M", "control"),
        "\x7f": ("^?", "control"),
        "\x9b": ("<9b>", "control"),
        "\x85": ("<85>", "control"),
        "\udcff": ("<ff>", "invalid"),
        "\udc80": ("<80>", "invalid"),
        "\u202e": ("<U+202E>", "unicode"),
        "\u200b": ("<U+200B>", "unicode"),
        "\u2028": ("<U+2028>", "unicode"),
        "\ufeff": ("<U+FEFF>", "unicode"),
    }
    for ch, (shown, kind) in cases.items():
        lay = layout_line("a" + ch + "b")
        assert lay.display == "a" + shown + "b", repr(ch)
        assert lay.badges == ((1, 1 + len(shown), kind),), repr(ch)
        assert lay.width == 2 + len(shown)
        assert lay.cells == [0, 1, 1 + len(shown), 2 + len(shown)]
        assert sanitize("a" + ch + "b") == "a" + shown + "b"


def test_escape_sequence_is_defused() -> None:
    text = decode(b"\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\xc2\x9b")
    shown = layout_line(text).display
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert shown == "^[]52;c;ZXZpbA==^G^[[2J<9b>31m<9b>"


def test_sanitize_tabs_and_printable() -> None:
    assert sanitize("name\twith tab") == "name with tab"
    assert sanitize("é 中 ok") == "é 中 ok"
    assert sanitize("file\x1b[31m\n") == "file^[[31m^J"


def test_tabs_expand_to_tab_stops() -> None:
    lay = layout_line("\ta\tbc\td", tab_width=4)
    assert lay.display == "    a   bc  d"
    assert lay.cells == [0, 4, 5, 8, 9, 10, 12, 13]
    assert lay.dpos == lay.cells  # spaces: one display character per cell
    assert layout_line("abc\t", tab_width=4).width == 4
    assert layout_line("abcd\t", tab_width=4).width == 8
    assert layout_line("a\t", tab_width=8).width == 8
    # after a wide character the tab still aligns to the cell grid
    assert layout_line("中\tx", tab_width=4).cells == [0, 2, 4, 5]


def test_wide_and_combining_characters() -> None:
    assert char_cells("a") == 1 and char_cells("é") == 1
    assert char_cells("中") == 2 and char_cells("Ａ") == 2 and char_cells("😀") == 2
    assert char_cells("\u0301") == 0
    lay = layout_line("a中b")
    assert lay.cells == [0, 1, 3, 4]
    assert lay.width == 4
    assert lay.cell_to_col(1) == 1 and lay.cell_to_col(2) == 1  # both cells of the wide char
    assert lay.cell_to_col(3) == 2
    assert lay.cell_to_col(50) == 3
    assert lay.col_to_cell(5) == 6  # past the end: one cell per column
    lay = layout_line("e\u0301x")
    assert lay.cells == [0, 1, 1, 2]
    assert lay.display == "e\u0301x"


def test_col_to_dpos_with_badges() -> None:
    lay = layout_line("a\x1bb")
    assert [lay.col_to_dpos(c) for c in range(4)] == [0, 1, 3, 4]
    assert lay.col_to_dpos(-1) == 0 and lay.col_to_dpos(10) == 4


TEXT_CHARS = st.one_of(
    st.characters(codec=None),  # any code point, surrogates included
    st.sampled_from(["\x1b", "\x7f", "\x9b", "\t", "\udcff", "\u202e", "\u200b", "中", "\u0301"]),
)
any_text = st.text(TEXT_CHARS, max_size=40)
no_zero_width = st.text(st.characters(codec=None).filter(lambda c: not c.isprintable()
                                                         or char_cells(c) > 0), max_size=40)


@FAST
@given(any_text, st.integers(1, 8))
def test_display_of_any_text_is_printable(text: str, tab_width: int) -> None:
    lay = layout_line(text, tab_width=tab_width)
    assert lay.display.isprintable()
    assert sanitize(text).isprintable()
    if lay.cells is not None:
        assert len(lay.cells) == len(text) + 1 == len(lay.dpos)
        assert lay.cells == sorted(lay.cells) and lay.dpos == sorted(lay.dpos)
        assert lay.cells[-1] == lay.width and lay.dpos[-1] == len(lay.display)
        for start, end, kind in lay.badges:
            assert 0 <= start < end <= len(lay.display)
            assert kind in ("control", "invalid", "unicode")


@FAST
@given(any_text)
def test_bytes_of_any_file_are_safe(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    assert layout_line(decode(data)).display.isprintable()


@FAST
@given(no_zero_width, st.integers(1, 8))
def test_col_cell_round_trip(text: str, tab_width: int) -> None:
    lay = layout_line(text, tab_width=tab_width)
    for col in range(len(text) + 1):
        assert lay.cell_to_col(lay.col_to_cell(col)) == col
    assert lay.cell_to_col(lay.col_to_cell(len(text) + 2)) == len(text)  # clicks clamp to the end
    for cell in range(lay.width + 3):
        col = lay.cell_to_col(cell)
        assert lay.col_to_cell(col) <= cell
        assert col == len(text) or cell < lay.col_to_cell(col + 1)


@FAST
@given(any_text)
def test_cell_to_col_never_passes_the_cell(text: str) -> None:
    lay = layout_line(text)
    for cell in range(lay.width + 2):
        col = lay.cell_to_col(cell)
        assert 0 <= col <= len(text)
        assert lay.col_to_cell(col) <= cell or cell > lay.width
