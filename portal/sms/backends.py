import logging

logger = logging.getLogger("portal.sms")


class LogBackend:
    """The default: writes each message to the log instead of sending it."""

    def send(self, *, phone: str, text: str) -> str:
        logger.info("SMS to %s: %s", phone, text)
        return "logged"
