"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17.

The code is 1 character of the registering authority, 1 of the kind of body, 6 of the administrative division,
9 of the organization code (GB 11714, with its own check character last) and the check character. Its alphabet
is the digits and the capitals without I, O, Z, S and V; the check character is chosen so that the weighted sum
(the weights are the powers of 3 modulo 31) of all 18 is divisible by 31. A mistyped character or two swapped
neighbours change the sum, so a code copied wrong from a business licence is caught at once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18
_WEIGHTS = [pow(3, index, 31) for index in range(LENGTH - 1)]
_ORGANIZATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def credit_code_normalized(text: str) -> str:
    """What people type, as the code is printed: capitals, without spaces or hyphens."""
    return "".join(text.split()).replace("-", "").upper()


def credit_code_check_character(first_17: str) -> str:
    total = sum(ALPHABET.index(character) * weight for character, weight in zip(first_17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _organization_code_check(first_8: str) -> str:
    total = sum(int(character, 36) * weight for character, weight in zip(first_8, _ORGANIZATION_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def validate_credit_code(value: str) -> None:
    """Raises a ValidationError in Chinese unless `value` (normalized) is a well-formed code."""
    code = credit_code_normalized(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为18位，现在是%(length)d位。"), code="length", params={"length": len(code)}
        )
    wrong = sorted({character for character in code if character not in ALPHABET})
    if wrong:
        raise ValidationError(
            _("统一社会信用代码中不能有这些字符：%(characters)s（不用字母 I、O、Z、S、V）。"),
            code="characters",
            params={"characters": "、".join(wrong)},
        )
    if _organization_code_check(code[8:16]) != code[16] or credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码的校验位不对，请对照营业执照逐位核对。"), code="check")
