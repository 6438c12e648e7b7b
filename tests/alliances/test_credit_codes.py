"""An enterprise joins an alliance under its 统一社会信用代码 (GB 32100-2015): a code copied wrong from the
business licence (a character changed, two swapped, one missing, a letter the code never uses) is refused with a
message that says what to check; spaces, hyphens and small letters as people type them are accepted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from alliances.credit_codes import credit_code_check_character, credit_code_normalized, validate_credit_code

# Codes as printed on real business licences (the first is the standard's own example).
REAL_CODES = ["91350100M000100Y43", "91110000600037341L"]


def _refusal(code: str) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)
    return refused.value


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_code_from_a_licence_is_accepted_as_typed(code):
    validate_credit_code(code)
    validate_credit_code(f"{code[:4]} {code[4:8]}-{code[8:]}".lower())
    assert credit_code_normalized(f" {code[:9].lower()} {code[9:]} ") == code


@pytest.mark.parametrize("code", REAL_CODES)
def test_any_single_character_changed_is_caught(code):
    for position in range(18):
        for replacement in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if replacement != code[position]:
                typo = code[:position] + replacement + code[position + 1 :]
                assert _refusal(typo).code == "check", typo


@pytest.mark.parametrize("code", REAL_CODES)
def test_two_neighbours_swapped_are_caught(code):
    for position in range(17):
        if code[position] != code[position + 1]:
            swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            assert _refusal(swapped).code == "check", swapped


def test_a_code_of_the_wrong_length_says_how_long_it_is():
    refusal = _refusal("91350100M000100Y4")
    assert refusal.code == "length"
    assert "17位" in refusal.messages[0]


def test_letters_the_code_never_uses_are_named():
    refusal = _refusal("91350100M0001O0Y4S")
    assert refusal.code == "characters"
    assert "O、S" in refusal.messages[0]


def test_the_check_character_is_the_one_that_makes_the_weighted_sum_divisible_by_31():
    assert [credit_code_check_character(code[:17]) for code in REAL_CODES] == [code[17] for code in REAL_CODES]
