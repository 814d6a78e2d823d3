"""Query parameters outside what both stores take are refused by name, never run wrapped.

Issue 21, item 9: ``-p limit=4294967296`` returned 0 rows and ``4294967306`` returned
10 (FalkorDB keeps LIMIT in 32 bits), and ``nan`` or ``inf`` went to the store as a
number. A parameter's declared type (its default's) now comes with its range.
"""

from __future__ import annotations

import pytest

from edukg.queries.catalogue import QueryParameterError, catalogue

# (value given for most_connected's integer limit, the value bound, or None when refused)
INTEGERS = [
    ("10", 10),
    ("0", 0),
    ("2147483647", 2147483647),
    ("2147483648", None),
    ("4294967296", None),
    ("4294967306", None),
    ("-2147483649", None),
    ("99999999999999999999999", None),
]


@pytest.mark.parametrize(("value", "bound"), INTEGERS, ids=[value for value, _ in INTEGERS])
def test_an_integer_parameter_is_bound_only_in_range(value: str, bound: int | None) -> None:
    query = next(query for query in catalogue() if query.name == "most_connected")
    if bound is None:
        with pytest.raises(
            QueryParameterError, match=r"parameter 'limit' takes an integer from -2147483648 to 2147483647"
        ):
            query.bind({"limit": value})
    else:
        assert query.bind({"limit": value}) == {"limit": bound}


def test_a_number_parameter_must_be_finite() -> None:
    from edukg.queries.catalogue import Parameter

    share = Parameter("share", 0.5, "a share")
    assert share.convert("0.25") == 0.25
    for value in ("nan", "inf", "-inf", "1e999"):
        with pytest.raises(QueryParameterError, match="takes a finite number"):
            share.convert(value)
