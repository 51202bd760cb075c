"""The fast JSON writer gives exactly the text of json.dumps(indent=2)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentor_desk.services import json_text

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def _reference(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


@given(_VALUES)
def test_the_text_is_that_of_json_dumps(value: Any) -> None:
    assert json_text.dumps(value) == _reference(value)


def test_hostile_text_and_every_script_round_trip() -> None:
    value = {"note": '<b>&</b> "quoted" \\ \n\t Zoë 李伟 ليلى 🙂 \u2028', "empty": [], "obj": {}}
    text = json_text.dumps(value)
    assert text == _reference(value)
    assert json.loads(text) == value


def test_streamed_pieces_make_the_same_object_text() -> None:
    rows = [{"uid": "a", "tags": ["x", "y"]}, {"uid": "b", "tags": []}]
    header = {"format": "mentor-desk", "scope": {"all": True}}
    members = [(key, json_text.dumps(value, 1)) for key, value in header.items()]
    listed = "".join(json_text.list_lines((json_text.dumps(r, 2) for r in rows), 1))
    members += [("rows", listed), ("none", "".join(json_text.list_lines([], 1)))]
    text = "".join(json_text.object_lines(members, 0))
    assert text == _reference({**header, "rows": rows, "none": []})
    assert "".join(json_text.object_lines([], 0)) == "{}"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_like_json(bad: float) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        json_text.dumps({"x": [bad]})


def test_values_json_cannot_hold_are_refused() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        json_text.dumps({"when": object()})
    with pytest.raises(TypeError, match="keys must be str"):
        json_text.dumps({1: "one"})
