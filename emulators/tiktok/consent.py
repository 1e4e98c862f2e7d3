"""Drive the sandbox's consent page like a browser would.

Tests (and scripted demos) use :func:`submit_consent` to link an account
without a person clicking: it loads the page, fills the form from the HTML
and submits it, returning where the browser would be redirected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx


class ConsentPageError(Exception):
    """The authorize URL did not lead to a consent form (or the form did not redirect)."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body


@dataclass
class _Input:
    type: str
    name: str
    value: str
    checked: bool
    disabled: bool


@dataclass
class _Select:
    name: str
    options: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class _Form:
    action: str = ""
    method: str = "get"
    inputs: list[_Input] = field(default_factory=list)
    selects: list[_Select] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class _FormParser(HTMLParser):
    """Collect the first form's inputs, selects and submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.form: _Form | None = None
        self._done = False
        self._select: _Select | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        present = {key for key, _ in attrs}
        if tag == "form" and self.form is None:
            self.form = _Form(action=attr.get("action", ""), method=attr.get("method", "get"))
            return
        if self.form is None or self._done:
            return
        if tag == "input":
            self.form.inputs.append(
                _Input(
                    type=attr.get("type", "text").lower(),
                    name=attr.get("name", ""),
                    value=attr.get("value", ""),
                    checked="checked" in present,
                    disabled="disabled" in present,
                )
            )
        elif tag == "select":
            self._select = _Select(name=attr.get("name", ""))
            self.form.selects.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append((attr.get("value", ""), "selected" in present))
        elif tag == "button" and attr.get("type", "submit") == "submit":
            self.form.buttons.append((attr.get("name", ""), attr.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self.form is not None:
            self._done = True


async def submit_consent(
    client: httpx.AsyncClient,
    authorize_url: str,
    *,
    open_id: str | None = None,
    untick_scopes: Sequence[str] = (),
    cancel: bool = False,
) -> str:
    """Open the consent page, fill in the form and submit it; return the redirect Location.

    ``open_id`` picks the account (default: the one preselected, else the
    first), ``untick_scopes`` clears those scope boxes, ``cancel`` presses
    Cancel instead of Authorize. Raises ConsentPageError when the page is an
    error page or the submission does not redirect.
    """
    page = await client.get(authorize_url, follow_redirects=False)
    if page.status_code != 200:
        raise ConsentPageError(page.status_code, page.text)
    parser = _FormParser()
    parser.feed(page.text)
    form = parser.form
    if form is None:
        raise ConsentPageError(page.status_code, page.text)
    data: dict[str, list[str]] = {}
    for item in form.inputs:
        if item.disabled or not item.name:
            continue
        if item.type == "hidden" or (
            item.type == "checkbox" and item.checked and item.value not in untick_scopes
        ):
            data.setdefault(item.name, []).append(item.value)
    for select in form.selects:
        values = [value for value, _ in select.options]
        if open_id is not None and select.name == "open_id":
            if open_id not in values:
                raise ValueError(f"{open_id!r} is not offered on the consent page: {values}")
            chosen = open_id
        else:
            selected = [value for value, is_selected in select.options if is_selected]
            chosen = (selected or values or [""])[0]
        data[select.name] = [chosen]
    action = "cancel" if cancel else "authorize"
    button = next((name for name, value in form.buttons if value == action), None)
    if button is None:
        raise ConsentPageError(page.status_code, f"no {action} button on the page")
    data[button] = [action]
    target = urljoin(str(page.url), form.action)
    reply = await client.request(form.method.upper(), target, data=data, follow_redirects=False)
    if reply.status_code not in (301, 302, 303, 307):
        raise ConsentPageError(reply.status_code, reply.text)
    return reply.headers["location"]
