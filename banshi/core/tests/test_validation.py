"""Input checks: ids and phone numbers are ASCII digits only."""

from __future__ import annotations

import pytest

from banshi.core.errors import NotFound, ValidationFailed
from banshi.core.validation import clean_mobile, is_digits, parse_id

# str.isdigit() and \d accept all of these; int() refuses the first two and reads the others.
UNICODE_DIGITS = ["²", "①", "³", "３", "١٢", "१२", "１３８１２３４５６７８"]


@pytest.mark.parametrize("text", UNICODE_DIGITS)
def test_unicode_digits_are_not_digits(text: str) -> None:
    assert text.isdigit() or text == "①"
    assert not is_digits(text)


@pytest.mark.parametrize("text", UNICODE_DIGITS)
def test_an_id_of_unicode_digits_is_simply_not_found(text: str) -> None:
    with pytest.raises(NotFound):
        parse_id(text)


def test_ascii_ids_still_parse() -> None:
    assert parse_id(" 42 ") == 42
    assert parse_id(str(2**63 - 1)) == 2**63 - 1


@pytest.mark.parametrize("mobile", ["１３８１２３４５６７８", "13８12345678", "13812345678\n9"])
def test_a_mobile_in_other_digits_is_refused(mobile: str) -> None:
    with pytest.raises(ValidationFailed):
        clean_mobile(mobile)


def test_an_ascii_mobile_is_accepted() -> None:
    assert clean_mobile("+86 138-1234-5678") == "13812345678"
