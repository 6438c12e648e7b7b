"""Phone numbers as the portal shows them: whole to those who need them, masked to everyone else."""


def mask_phone(phone: str) -> str:
    """138****0000: enough to recognise one's own number, not enough to call it."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"
