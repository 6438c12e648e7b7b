"""One interface sends every SMS; the provider is chosen by configuration."""

import logging

import pytest

from portal.sms import get_sms_backend, send_sms
from portal.sms.backends import LogBackend, MemoryBackend


def test_send_sms_signs_the_message_and_uses_the_configured_backend(settings, sms_outbox):
    settings.SMS_SIGNATURE = "【同心荟】"
    message_id = send_sms(phone="13800001111", text="青山同心荟本周六有分享会。")
    assert message_id == "memory-1"
    assert [(m.phone, m.text) for m in sms_outbox] == [("13800001111", "【同心荟】青山同心荟本周六有分享会。")]


def test_a_message_longer_than_one_sms_is_refused_before_sending(sms_outbox):
    with pytest.raises(ValueError, match="70"):
        send_sms(phone="13800001111", text="长" * 70)
    assert sms_outbox == []


def test_the_default_backend_writes_the_message_to_the_log_with_a_masked_number(settings, caplog):
    settings.SMS_BACKEND = "portal.sms.backends.LogBackend"
    with caplog.at_level(logging.INFO, logger="portal.sms"):
        send_sms(phone="13800001111", text="测试短信")
    assert "138****1111" in caplog.text
    assert "13800001111" not in caplog.text
    assert "【同心荟】测试短信" in caplog.text


def test_backend_options_come_from_settings(settings):
    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    settings.SMS_BACKEND_OPTIONS = {"access_key": "from-configuration"}
    backend = get_sms_backend()
    assert isinstance(backend, MemoryBackend)
    assert backend.options == {"access_key": "from-configuration"}


def test_the_default_backend_is_the_log(settings):
    assert settings.SMS_BACKEND == "portal.sms.backends.LogBackend"
    assert isinstance(get_sms_backend(), LogBackend)
