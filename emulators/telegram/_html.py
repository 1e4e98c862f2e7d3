"""Telegram's ``parse_mode=HTML``: a port of tdlib's ``parse_html`` (td/telegram/MessageEntity.cpp).

It walks the UTF-8 bytes like the server does, so errors name the same byte
offsets Telegram reports (``Unsupported start tag "p" at byte offset 0``), and
entity offsets and lengths are counted in UTF-16 code units.

One deliberate difference, on by default (``strict_ampersand``): the server
keeps a bare ``&`` (or ``&lt`` without ``;``) as literal text, although the Bot
API documentation says every ``&`` outside an entity must be escaped. The fake
rejects it, so text that was not passed through ``html.escape`` is caught even
when it only contains an ampersand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED = {b"lt": 0x3C, b"gt": 0x3E, b"amp": 0x26, b"quot": 0x22}
_SPACES = frozenset(b" \t\r\n\v\f\x00")
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite", "ftp"})


class HtmlError(ValueError):
    """The text is not valid Telegram HTML; the message is tdlib's wording."""


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    out_pos: int


def parse_html(source: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and Bot API entities of ``source``, or raise :class:`HtmlError`."""
    return _Parser(source.encode("utf-8", "surrogatepass"), strict_ampersand).run()


class _Parser:
    def __init__(self, data: bytes, strict_ampersand: bool) -> None:
        self.data = data
        self.strict = strict_ampersand
        self.out = bytearray()
        self.utf16 = 0
        self.entities: list[dict[str, Any]] = []
        self.stack: list[_Open] = []

    def at(self, i: int) -> int:
        return self.data[i] if i < len(self.data) else 0

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        i = 0
        while i < len(self.data):
            c = self.data[i]
            if c == 0x26:  # '&'
                code, end, terminated = self.entity(i)
                if code and (terminated or not self.strict):
                    self.utf16 += 2 if code > 0xFFFF else 1
                    self.out += chr(code).encode("utf-8", "surrogatepass")
                    i = end
                    continue
                if self.strict:
                    raise HtmlError(f'Unescaped "&" at byte offset {i}; use "&amp;"')
            if c != 0x3C:  # '<'
                if c & 0xC0 != 0x80:
                    self.utf16 += 2 if c >= 0xF0 else 1
                self.out.append(c)
                i += 1
                continue
            i = self.end_tag(i) if self.at(i + 1) == 0x2F else self.start_tag(i)
        if self.stack:
            raise HtmlError(f"Can't find end tag corresponding to start tag {self.stack[-1].tag}")
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return self.out.decode("utf-8", "surrogatepass"), self.entities

    def entity(self, pos: int) -> tuple[int, int, bool]:
        """Decode ``&...;`` at ``pos``: (code point or 0, end position, had ';')."""
        end = pos + 1
        code = 0
        if self.at(end) == 0x23:  # '#'
            end += 1
            if self.at(end) == 0x78:  # 'x'
                end += 1
                while chr(self.at(end)) in "0123456789abcdefABCDEF" and self.at(end):
                    code = code * 16 + int(chr(self.at(end)), 16)
                    end += 1
            else:
                while 0x30 <= self.at(end) <= 0x39:
                    code = code * 10 + self.at(end) - 0x30
                    end += 1
            if code == 0 or code >= 0x10FFFF or end - pos >= 10:
                return 0, pos, False
        else:
            while chr(self.at(end)).isascii() and chr(self.at(end)).isalpha():
                end += 1
            code = _NAMED.get(self.data[pos + 1 : end], 0)
            if not code:
                return 0, pos, False
        if self.at(end) == 0x3B:  # ';'
            return code, end + 1, True
        return code, end, False

    def start_tag(self, begin: int) -> int:
        i = begin + 1
        while self.at(i) not in _SPACES and self.at(i) != 0x3E:
            i += 1
        if self.at(i) == 0:
            raise HtmlError(f"Unclosed start tag at byte offset {begin}")
        tag = self.data[begin + 1 : i].decode("utf-8", "replace").lower()
        if tag not in _TAGS:
            raise HtmlError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument = ""
        while self.at(i) != 0x3E:
            i, name, value = self.attribute(i, tag, begin)
            if name is None:
                continue
            argument = _argument(tag, name, value, argument)
        if tag == "span" and argument != "spoiler":
            raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        self.stack.append(_Open(tag, argument, self.utf16, len(self.out)))
        return i + 1

    def attribute(self, i: int, tag: str, begin: int) -> tuple[int, str | None, str]:
        """Parse one attribute starting at ``i``; name None means "nothing to record"."""
        while self.at(i) != 0 and self.at(i) in _SPACES:
            i += 1
        if self.at(i) == 0x3E:
            return i, None, ""
        name_begin = i
        while self.at(i) not in _SPACES and self.at(i) not in b"=>/\"'":
            i += 1
        name = self.data[name_begin:i].decode("utf-8", "replace")
        if not name:
            raise HtmlError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
        while self.at(i) != 0 and self.at(i) in _SPACES:
            i += 1
        if self.at(i) != 0x3D:  # '='
            if self.at(i) == 0:
                raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            # A value-less attribute only means something in <blockquote expandable>.
            return i, (name if (tag, name) == ("blockquote", "expandable") else None), ""
        i += 1
        while self.at(i) != 0 and self.at(i) in _SPACES:
            i += 1
        if self.at(i) == 0:
            raise HtmlError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        if self.at(i) not in b"'\"":
            token_begin = i
            while chr(self.at(i)).isascii() and (chr(self.at(i)).isalnum() or self.at(i) in b".-"):
                i += 1
            value = self.data[token_begin:i].decode("ascii").lower()
            if self.at(i) not in _SPACES and self.at(i) != 0x3E:
                raise HtmlError(f"Unexpected end of name token at byte offset {token_begin}")
        else:
            i, value = self.quoted(i)
        if self.at(i) == 0:
            raise HtmlError(f"Unclosed start tag at byte offset {begin}")
        return i, name, value

    def quoted(self, i: int) -> tuple[int, str]:
        quote = self.at(i)
        i += 1
        value = bytearray()
        while self.at(i) != quote and self.at(i) != 0:
            if self.at(i) == 0x26:
                code, end, _ = self.entity(i)
                if code:
                    value += chr(code).encode("utf-8", "surrogatepass")
                    i = end
                    continue
            value.append(self.at(i))
            i += 1
        if self.at(i) == quote:
            i += 1
        return i, value.decode("utf-8", "surrogatepass")

    def end_tag(self, begin: int) -> int:
        if not self.stack:
            raise HtmlError(f"Unexpected end tag at byte offset {begin}")
        i = begin + 2
        while self.at(i) not in _SPACES and self.at(i) != 0x3E:
            i += 1
        name = self.data[begin + 2 : i].decode("utf-8", "replace").lower()
        while self.at(i) != 0 and self.at(i) in _SPACES:
            i += 1
        if self.at(i) != 0x3E:
            raise HtmlError(f"Unclosed end tag at byte offset {begin}")
        opened = self.stack[-1]
        if name and name != opened.tag:
            raise HtmlError(
                f'Unmatched end tag at byte offset {begin}, expected "</{opened.tag}>", '
                f'found "</{name}>"'
            )
        if self.utf16 > opened.utf16_offset:
            self.close(opened)
        self.stack.pop()
        return i + 1

    def close(self, opened: _Open) -> None:
        offset, length = opened.utf16_offset, self.utf16 - opened.utf16_offset
        base: dict[str, Any] = {"offset": offset, "length": length}
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and (last["offset"], last["length"]) == (offset, length)
        if opened.tag in _SIMPLE_ENTITIES:
            self.entities.append({"type": _SIMPLE_ENTITIES[opened.tag], **base})
        elif opened.tag == "tg-emoji":
            if not opened.argument.isdigit() or int(opened.argument) == 0:
                raise HtmlError("Invalid custom emoji identifier specified")
            self.entities.append(
                {"type": "custom_emoji", **base, "custom_emoji_id": opened.argument}
            )
        elif opened.tag == "a":
            url = opened.argument or self.out[opened.out_pos :].decode("utf-8", "replace")
            checked = checked_link(url)
            if checked is not None:
                self.entities.append({"type": "text_link", **base, "url": checked})
        elif opened.tag == "pre":
            if same_span and last is not None and last["type"] == "code" and last.get("language"):
                last["type"] = "pre"
            else:
                self.entities.append({"type": "pre", **base})
        elif opened.tag == "code":
            if same_span and last is not None and last["type"] == "pre" and opened.argument:
                last["language"] = opened.argument
            else:
                entity = {"type": "code", **base}
                if opened.argument:
                    entity["language"] = opened.argument
                self.entities.append(entity)
        else:  # blockquote
            kind = "expandable_blockquote" if opened.argument else "blockquote"
            self.entities.append({"type": kind, **base})


def _argument(tag: str, name: str, value: str, current: str) -> str:
    """Return the tag argument after seeing attribute ``name=value`` (tdlib's rules)."""
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    if tag == "blockquote" and name == "expandable":
        return "1"
    return current


def checked_link(url: str) -> str | None:
    """Return the link Telegram would keep for an ``<a href>``, or None to drop the entity."""
    url = url.strip()
    if not url:
        return None
    if "://" not in url and not url.startswith("tg:"):
        url = f"http://{url}"
    parts = urlsplit(url)
    if parts.scheme.lower() not in _LINK_SCHEMES:
        return None
    if parts.scheme.lower() in {"http", "https", "ftp"} and not parts.hostname:
        return None
    return url
