"""Secrets never reach the logs."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactSecrets


def test_known_secret_shapes_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    redactor = RedactSecrets(["my-client-secret-value"])
    caplog.handler.addFilter(redactor)
    try:
        with caplog.at_level(logging.INFO, logger="test.redact"):
            logger.info(
                "GET https://api.telegram.org/bot123456789:AAH-abcdefghijklmnopqrstuvwxyz12345/getMe"
            )
            logger.info("token %s and %s", "act.1a2b3c4d5e6f7g8h9i", "rft.zzzzyyyyxxxxwwww")
            logger.info("secret my-client-secret-value in text")
            logger.info("PUT https://up.example/upload/?upload_id=1&upload_token=abcdef")
    finally:
        caplog.handler.removeFilter(redactor)
    text = caplog.text
    for leaked in (
        "AAH-abcdefghijklmnopqrstuvwxyz12345",
        "act.1a2b3c4d5e6f7g8h9i",
        "rft.zzzzyyyyxxxxwwww",
        "my-client-secret-value",
        "upload_token=abcdef",
    ):
        assert leaked not in text
    assert text.count("<redacted>") >= 5
