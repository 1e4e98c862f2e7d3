"""Pure rules: Telegram HTML, UTF-16 limits, trimming, inline keyboards."""

from __future__ import annotations

import pytest

from emulators.telegram._errors import ApiError
from emulators.telegram._html import HtmlError, parse_html
from emulators.telegram._markup import parse_reply_markup
from emulators.telegram._text import caption_text, message_text, utf16_len


def test_html_entities_are_counted_in_utf16() -> None:
    text, entities = parse_html("😀 <b>bold</b> <a href='https://x.org/?a=1&amp;b=2'>link</a>")
    assert text == "😀 bold link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "text_link", "offset": 8, "length": 4, "url": "https://x.org/?a=1&b=2"},
    ]


def test_html_nesting_pre_code_spoiler_and_blockquote() -> None:
    source = (
        '<pre><code class="language-python">x = 1</code></pre><tg-spoiler>s</tg-spoiler>'
        '<span class="tg-spoiler">t</span><blockquote expandable>q</blockquote>&lt;&#33;&quot;'
    )
    text, entities = parse_html(source)
    assert text == 'x = 1stq<!"'
    assert [e["type"] for e in entities] == ["pre", "spoiler", "spoiler", "expandable_blockquote"]
    assert entities[0]["language"] == "python"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("é<b>x", "Can't find end tag corresponding to start tag b"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("Tom & Jerry", 'Unescaped "&" at byte offset 4; use "&amp;"'),
        ("a &lt b", 'Unescaped "&" at byte offset 2; use "&amp;"'),
    ],
)
def test_html_errors_use_tdlib_wording(source: str, message: str) -> None:
    with pytest.raises(HtmlError) as caught:
        parse_html(source)
    assert str(caught.value) == message


def test_bare_ampersand_is_tolerated_when_not_strict() -> None:
    assert parse_html("Tom & Jerry &lt", strict_ampersand=False) == ("Tom & Jerry <", [])


def _description(error: pytest.ExceptionInfo[ApiError]) -> str:
    return error.value.description


def test_text_limits_count_utf16_after_parsing_and_trimming() -> None:
    assert message_text("<b>" + "a" * 4096 + "</b>", "HTML", None, strict_ampersand=True).text
    with pytest.raises(ApiError) as too_long:
        message_text("😀" * 2049, None, None, strict_ampersand=True)
    assert _description(too_long) == "Bad Request: message is too long"
    with pytest.raises(ApiError) as empty:
        message_text("  <b> </b> ", "HTML", None, strict_ampersand=True)
    assert _description(empty) == "Bad Request: message text is empty"
    with pytest.raises(ApiError) as caption:
        caption_text("x" * 1025, None, None, strict_ampersand=True)
    assert _description(caption) == "Bad Request: message caption is too long"
    assert utf16_len("😀a") == 3


def test_trimming_shifts_entities() -> None:
    formatted = message_text("  <b>hi</b>  there ", "HTML", None, strict_ampersand=True)
    assert formatted.text == "hi  there"
    assert formatted.entities == [{"type": "bold", "offset": 0, "length": 2}]


def test_markdown_is_refused_clearly() -> None:
    with pytest.raises(ApiError) as caught:
        message_text("*x*", "MarkdownV2", None, strict_ampersand=True)
    assert "not implemented by the fake" in _description(caught)


def _keyboard(*buttons: dict[str, object]) -> dict[str, object]:
    return {"inline_keyboard": [list(buttons)]}


@pytest.mark.parametrize(
    ("button", "description"),
    [
        ({"text": "x", "callback_data": "é" * 33}, "Bad Request: BUTTON_DATA_INVALID"),
        ({"text": "x", "callback_data": ""}, "Bad Request: BUTTON_DATA_INVALID"),
        ({"text": "x", "url": "ftp://example.com"}, "Bad Request: BUTTON_URL_INVALID"),
        ({"text": "x", "url": "https://"}, "Bad Request: BUTTON_URL_INVALID"),
        (
            {"text": "x"},
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in "
            "the inline keyboard",
        ),
    ],
)
def test_inline_button_rules(button: dict[str, object], description: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_reply_markup(_keyboard(button))
    assert caught.value.description == description


def test_inline_keyboard_limits_and_buttons() -> None:
    markup = parse_reply_markup(
        '{"inline_keyboard": [[{"text": "Go", "callback_data": "' + "é" * 32 + '"}],'
        ' [{"text": "Site", "url": "tg://resolve?domain=x"}]]}'
    )
    assert markup is not None
    assert [[b.text for b in row] for row in markup.buttons] == [["Go"], ["Site"]]
    with pytest.raises(ApiError) as too_many:
        parse_reply_markup({"inline_keyboard": [[{"text": "b", "callback_data": "d"}] * 101]})
    assert too_many.value.description == "Bad Request: REPLY_MARKUP_TOO_LONG"
    with pytest.raises(ApiError) as two_actions:
        parse_reply_markup(_keyboard({"text": "x", "url": "https://a.b", "callback_data": "d"}))
    assert "exactly one" in two_actions.value.description
