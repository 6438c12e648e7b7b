"""Signed values that let someone without an account come back to what they did.

- The registration link: shown after a sign-up (and later sent by SMS), it opens the sign-up's status page
  where the registrant, typing their phone as a second proof, may cancel.
- The scan proof: the rotating QR token lives one or two minutes, too short for a villager to type a name
  and a phone number, or to log in by SMS. Having opened the page with a valid token, the form carries a
  proof signed by the server that stays good for a few minutes; a photo of yesterday's screen never gets one.
"""

from __future__ import annotations

from django.core import signing

from activities.models import Activity, Registration

REGISTRATION_SALT = "activities.registration-link"
SCAN_PROOF_SALT = "activities.checkin-scan-proof"
SCAN_PROOF_SECONDS = 5 * 60


def registration_token(registration: Registration) -> str:
    return signing.Signer(salt=REGISTRATION_SALT).sign(str(registration.pk))


def registration_id_from_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=REGISTRATION_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def scan_proof(activity: Activity) -> str:
    return signing.dumps({"activity": activity.pk}, salt=SCAN_PROOF_SALT, compress=False)


def scan_proof_is_valid(activity: Activity, proof: str) -> bool:
    if not proof:
        return False
    try:
        value = signing.loads(proof, salt=SCAN_PROOF_SALT, max_age=SCAN_PROOF_SECONDS)
    except signing.BadSignature:
        return False
    return isinstance(value, dict) and value.get("activity") == activity.pk
