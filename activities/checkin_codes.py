"""The rotating check-in code shown as a QR at the event.

The code is an HMAC of the activity and the current time window, so a photo of an earlier screen stops
working after a window or two, and nobody can make one without the server's key and the activity's secret.
"""

import datetime
import hmac

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from activities.models import Activity

TOKEN_LENGTH = 12


def _window(moment: datetime.datetime) -> int:
    return int(moment.timestamp()) // settings.CHECKIN_CODE_ROTATE_SECONDS


def _token_for(activity: Activity, window: int) -> str:
    digest = salted_hmac("activities.checkin", f"{activity.pk}:{activity.checkin_secret}:{window}").hexdigest()
    return digest[:TOKEN_LENGTH]


def current_checkin_token(activity: Activity, now: datetime.datetime | None = None) -> str:
    return _token_for(activity, _window(now or timezone.now()))


def checkin_token_is_valid(activity: Activity, token: str, now: datetime.datetime | None = None) -> bool:
    """The current window's code, or the previous one's: a phone may take a moment to open the link."""
    window = _window(now or timezone.now())
    # Bytes, not str: compare_digest refuses a str with non-ASCII characters, and a link can carry anything.
    typed = (token or "").encode()
    return any(hmac.compare_digest(typed, _token_for(activity, each).encode()) for each in (window, window - 1))


def seconds_until_rotation(now: datetime.datetime | None = None) -> int:
    moment = int((now or timezone.now()).timestamp())
    return settings.CHECKIN_CODE_ROTATE_SECONDS - moment % settings.CHECKIN_CODE_ROTATE_SECONDS
