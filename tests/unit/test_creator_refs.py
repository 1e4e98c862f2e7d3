"""Which creator a /stats argument names."""

from __future__ import annotations

import pytest

from bot.creators import CreatorRef, parse_creator_ref

SEC = "MS4wLjABAAAATtFKZYaOb-9nF_w7QRi4y64d45mvuWuwf5ACEd3c6f-GTlfW9rJJlKfV2vWhg0aw"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@lily_fashion_us", CreatorRef(username="lily_fashion_us")),
        ("  @Chef.Marco ", CreatorRef(username="chef.marco")),
        ("https://www.tiktok.com/@cnn", CreatorRef(username="cnn")),
        ("tiktok.com/@cnn/", CreatorRef(username="cnn")),
        ("https://m.tiktok.com/@cnn?lang=en&is_from_webapp=1", CreatorRef(username="cnn")),
        (SEC, CreatorRef(sec_uid=SEC)),
    ],
)
def test_creator_references(text: str, expected: CreatorRef) -> None:
    assert parse_creator_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://www.tiktok.com/@cnn/video/7301234567890123456",  # a video: /stats shows it
        "7301234567890123456",
        "cnn",
        "@",
        "@a",
        "@" + "x" * 25,
        "https://evil.example/@cnn",
        "MS4wLjABshort",
        "hello there",
    ],
)
def test_not_creator_references(text: str) -> None:
    assert parse_creator_ref(text) is None


def test_labels() -> None:
    assert CreatorRef(username="cnn").label == "@cnn"
    assert CreatorRef(sec_uid=SEC).label == SEC[:16] + "…"
