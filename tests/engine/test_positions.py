"""LineIndex conversions between bytes, tree-sitter points and LSP positions."""

import pytest

from cpt.engine.positions import LineIndex

TEXT = "a = '😀x'\r\nb = '漢字'\n\nc\n"
DATA = TEXT.encode("utf-8")


def test_lines_split_on_lf_and_hide_the_cr_of_crlf():
    index = LineIndex(DATA)
    assert index.line_count == 5
    assert index.line_bytes(0) == "a = '😀x'".encode()
    assert index.line_bytes(1) == "b = '漢字'".encode()
    assert index.line_bytes(2) == b""
    assert index.line_bytes(4) == b""
    assert index.line_bytes(99) == b""


def test_utf16_counts_astral_characters_as_two_units():
    index = LineIndex(DATA)
    x = DATA.index(b"x")
    assert index.position_of(x, "utf-16") == (0, 7)  # a,space,=,space,',😀(2)
    assert index.position_of(x, "utf-32") == (0, 6)
    assert index.position_of(x, "utf-8") == (0, 9)
    assert index.offset_of_position(0, 7, "utf-16") == x
    assert index.offset_of_position(0, 6, "utf-32") == x
    assert index.offset_of_position(0, 9, "utf-8") == x


def test_cjk_is_one_utf16_unit_and_three_bytes():
    index = LineIndex(DATA)
    second = DATA.index("字".encode())
    assert index.position_of(second) == (1, 6)
    assert index.position_of(second, "utf-8") == (1, 8)
    assert index.offset_of_position(1, 6) == second


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_every_character_boundary_round_trips(encoding):
    index = LineIndex(DATA)
    boundaries = {len(TEXT[:i].encode()) for i in range(len(TEXT) + 1)}
    for offset in sorted(boundaries):
        line, character = index.position_of(offset, encoding)
        back = index.offset_of_position(line, character, encoding)
        if DATA[offset:offset + 1] == b"\n" and DATA[offset - 1:offset] == b"\r":
            assert back == offset - 1  # between CR and LF is not a position: end of line
        else:
            assert back == offset, (offset, line, character)


def test_position_inside_a_surrogate_pair_lands_before_the_character():
    index = LineIndex(DATA)
    emoji = DATA.index("😀".encode())
    assert index.offset_of_position(0, 6, "utf-16") == emoji  # between the two halves


def test_byte_column_inside_a_character_counts_as_its_start():
    index = LineIndex(DATA)
    emoji = DATA.index("😀".encode())
    assert index.character_of(0, emoji + 2) == index.character_of(0, emoji) == 5
    assert index.offset_of_position(0, emoji + 2, "utf-8") == emoji


def test_out_of_range_positions_are_clamped():
    index = LineIndex(DATA)
    assert index.offset_of_position(-1, 5) == 0
    assert index.offset_of_position(0, -3) == 0
    assert index.offset_of_position(0, 1000) == DATA.index(b"\r")  # end of line, before CRLF
    assert index.offset_of_position(0, 1000, "utf-8") == DATA.index(b"\r")
    assert index.offset_of_position(1, 1000) == DATA.index(b"\n\n")
    assert index.offset_of_position(50, 0) == len(DATA)
    assert index.position_of(-10) == (0, 0)
    assert index.position_of(10_000) == index.position_of(len(DATA))
    assert index.offset_of_point(-1, 0) == 0
    assert index.offset_of_point(1, -5) == index.line_starts[1]
    assert index.offset_of_point(99, 0) == len(DATA)
    assert index.point_of(10_000) == index.point_of(len(DATA))


def test_crlf_end_of_line_position_is_before_the_cr():
    index = LineIndex(b"ab\r\ncd\r\n")
    assert index.position_of(3) == (0, 2)  # the LF: end of line 0
    assert index.position_of(4) == (1, 0)
    assert index.offset_of_position(1, 2) == 6


def test_invalid_utf8_bytes_count_one_character_each():
    data = b"x = '\xff\xfe' + '\xc3\xa9'\n"
    index = LineIndex(data)
    after_bad = data.index(b"' +")
    line, character = index.position_of(after_bad)
    assert (line, character) == (0, 7)
    assert index.offset_of_position(line, character) == after_bad
    accent_end = data.index(b"'\n")
    assert index.offset_of_position(*index.position_of(accent_end)) == accent_end


def test_empty_buffer():
    index = LineIndex(b"")
    assert index.line_count == 1
    assert index.position_of(0) == (0, 0)
    assert index.offset_of_position(3, 3) == 0
    assert index.human(0, 0) == (1, 1)


def test_human_columns_count_code_points():
    index = LineIndex(DATA)
    x = DATA.index(b"x")
    assert index.human(*index.point_of(x)) == (1, 7)


def test_an_edited_line_index_equals_a_fresh_one():
    """The editor updates its line index per keystroke instead of rescanning the file."""
    import random

    rng = random.Random(7)
    data = b"a\nbc\r\n\n\xc3\xa9t\xc3\xa9\ndef\n"
    lines = LineIndex(data)
    for _ in range(500):
        start = rng.randrange(len(data) + 1)
        end = min(len(data), start + rng.choice([0, 0, 1, 2, 5]))
        inserted = rng.choice([b"", b"x", b"\n", b"\r\n", b"y\nz\n", b"\xc3\xa9"])
        data = data[:start] + inserted + data[end:]
        lines = lines.replaced(start, end, inserted, data)
        assert lines.line_starts == LineIndex(data).line_starts
        assert lines.data == data
