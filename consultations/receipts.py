"""Receipt codes (回执码): eight digits, read aloud over the phone without spelling anything."""

import secrets

RECEIPT_CODE_LENGTH = 8


def new_receipt_code() -> str:
    # No leading zero, so that spreadsheets and phone keypads keep all eight digits.
    first = secrets.choice("123456789")
    rest = "".join(secrets.choice("0123456789") for _ in range(RECEIPT_CODE_LENGTH - 1))
    return first + rest


def normalize_receipt_code(raw: str) -> str:
    """Accepts what people type: spaces, dashes, full-width digits."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    return digits.translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def format_receipt_code(code: str) -> str:
    return f"{code[:4]} {code[4:]}" if len(code) == RECEIPT_CODE_LENGTH else code
