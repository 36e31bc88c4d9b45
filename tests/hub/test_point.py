"""Line-protocol encoding of hub.write.point.Point: escaping, value formatting, determinism."""

from __future__ import annotations

import pytest

from hub.write.point import FieldValue, Point


def line(measurement: str = "m", tags: dict[str, str] | None = None, **fields: FieldValue) -> str:
    return Point(measurement, tags or {}, fields or {"v": 1}, 1700000000123).to_line()


def test_simple_point() -> None:
    point = Point("air", {"device_id": "aq-01"}, {"temp_c": 21.5}, 1700000000123)
    assert point.to_line() == "air,device_id=aq-01 temp_c=21.5 1700000000123"


def test_measurement_escapes_commas_and_spaces_only() -> None:
    assert line("air quality,v2") == "air\\ quality\\,v2 v=1i 1700000000123"
    assert line("a=b") == "a=b v=1i 1700000000123"


def test_tag_keys_and_values_escape_commas_equals_spaces() -> None:
    got = line(tags={"site name": "a=b,c d"})
    assert got == "m,site\\ name=a\\=b\\,c\\ d v=1i 1700000000123"


def test_field_keys_escape_commas_equals_spaces() -> None:
    assert Point("m", {}, {"a b,c=d": 1}, 5).to_line() == "m a\\ b\\,c\\=d=1i 5"


def test_string_field_escapes_quotes_and_backslashes() -> None:
    assert Point("m", {}, {"s": 'say "hi" \\o/'}, 5).to_line() == 'm s="say \\"hi\\" \\\\o/" 5'
    # commas, spaces and equals signs inside a quoted string stay as they are
    assert Point("m", {}, {"s": "a b,c=d"}, 5).to_line() == 'm s="a b,c=d" 5'


def test_value_formatting() -> None:
    point = Point(
        "m", {}, {"i": 12, "neg": -3, "t": True, "f": False, "x": 0.1, "big": 1e16, "whole": 2.0}, 7
    )
    assert point.to_line() == "m big=1e+16,f=false,i=12i,neg=-3i,t=true,whole=2.0,x=0.1 7"


def test_tags_and_fields_sorted_by_key() -> None:
    point = Point("m", {"z": "1", "a": "2", "m": "3"}, {"b": 1, "a": 2}, 9)
    assert point.to_line() == "m,a=2,m=3,z=1 a=2i,b=1i 9"


def test_deterministic_whatever_the_insertion_order() -> None:
    one = Point("m", {"a": "1", "b": "2"}, {"x": 1.5, "y": "s"}, 10)
    two = Point("m", {"b": "2", "a": "1"}, {"y": "s", "x": 1.5}, 10)
    assert one.to_line() == two.to_line()
    assert one == two and hash(one) == hash(two)
    assert one.to_line() == one.to_line()


def test_point_copies_its_dicts() -> None:
    tags = {"a": "1"}
    point = Point("m", tags, {"v": 1}, 1)
    tags["a"] = "changed"
    assert point.to_line() == "m,a=1 v=1i 1"


def test_empty_tag_values_are_left_out() -> None:
    assert line(tags={"a": "", "b": "x"}) == "m,b=x v=1i 1700000000123"


def test_float_repr_round_trips() -> None:
    value = 0.1 + 0.2
    field_text = Point("m", {}, {"v": value}, 1).to_line().split(" ")[1]
    assert float(field_text.removeprefix("v=")) == value


@pytest.mark.parametrize(
    "point",
    [
        Point("m", {}, {}, 1),
        Point("", {}, {"v": 1}, 1),
        Point("m", {"": "x"}, {"v": 1}, 1),
        Point("m", {}, {"": 1}, 1),
        Point("m", {}, {"v": float("nan")}, 1),
        Point("m", {}, {"v": float("inf")}, 1),
        Point("m", {}, {"v": 2**63}, 1),
        Point("m\nx", {}, {"v": 1}, 1),
        Point("m", {"t": "ends\\"}, {"v": 1}, 1),
        Point("m", {}, {"v": 1}, 1.5),  # type: ignore[arg-type]
    ],
)
def test_unencodable_points_raise_value_error(point: Point) -> None:
    with pytest.raises(ValueError):
        point.to_line()


def test_empty_fields_message() -> None:
    with pytest.raises(ValueError, match="no fields"):
        Point("m", {"a": "b"}, {}, 1).to_line()
