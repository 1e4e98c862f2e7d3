"""HTML of the sandbox's authorize step: the consent page and the error page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from emulators.tiktok.config import BASIC_SCOPE

# What each scope lets the app do, in the words of TikTok's consent screen.
SCOPE_DESCRIPTIONS = {
    "user.info.basic": "Read your profile info (avatar, display name)",
    "user.info.profile": "Read your profile details (username, bio, verification)",
    "user.info.stats": "Read your follower, following, like and video counts",
    "video.list": "Read your public videos",
    "video.publish": "Post content to TikTok on your behalf",
    "video.upload": "Upload content to TikTok as drafts",
}

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f1f1f2;margin:0;
color:#161823}
main{max-width:420px;margin:48px auto;background:#fff;border-radius:12px;padding:28px 32px;
box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:20px;margin:0 0 4px}
.sub{color:#757575;font-size:13px;margin:0 0 20px}
label.scope{display:flex;gap:10px;align-items:flex-start;padding:8px 0;
border-bottom:1px solid #eee;font-size:14px}
select{width:100%;padding:8px;font-size:14px;margin:6px 0 18px}
.buttons{display:flex;gap:12px;margin-top:22px}
button{flex:1;padding:11px;border-radius:6px;font-size:15px;border:1px solid #ddd;
cursor:pointer;background:#fff}
button[value=authorize]{background:#fe2c55;color:#fff;border-color:#fe2c55}
.error{color:#c0172b}
.badge{display:inline-block;font-size:11px;background:#161823;color:#fff;border-radius:4px;
padding:1px 6px;margin-left:6px;vertical-align:middle}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def render_error_page(message: str) -> str:
    """Render the page TikTok shows when an authorize request is invalid."""
    body = (
        '<h1>Something went wrong</h1><p class="sub">TikTok Sandbox</p>'
        f'<p class="error">{escape(message)}</p>'
    )
    return _page("TikTok Sandbox - error", body)


def render_consent_page(
    *,
    app_name: str,
    client_key: str,
    action_url: str,
    accounts: Sequence[tuple[str, str, str]],
    scopes: Sequence[str],
    hidden: Mapping[str, str],
) -> str:
    """Render the consent form.

    ``accounts`` are (open_id, display_name, username) triples for the select,
    ``hidden`` the original authorize parameters carried through the POST.
    """
    options = "".join(
        f'<option value="{escape(open_id)}">{escape(display)} (@{escape(username)})</option>'
        for open_id, display, username in accounts
    )
    boxes = []
    for scope in scopes:
        required = scope == BASIC_SCOPE
        # A disabled box is not submitted; the server always grants the basic scope.
        extra = " disabled" if required else ""
        note = '<span class="badge">required</span>' if required else ""
        desc = escape(SCOPE_DESCRIPTIONS.get(scope, scope))
        boxes.append(
            f'<label class="scope"><input type="checkbox" name="scope" '
            f'value="{escape(scope)}" checked{extra}><span>{desc} '
            f"<small>({escape(scope)})</small>{note}</span></label>"
        )
    inputs = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in hidden.items()
    )
    body = (
        f"<h1>{escape(app_name)} wants to access your TikTok account</h1>"
        f'<p class="sub">TikTok Sandbox &middot; client key {escape(client_key)}</p>'
        f'<form method="post" action="{escape(action_url)}">{inputs}'
        f'<label for="open_id">Continue as</label>'
        f'<select id="open_id" name="open_id">{options}</select>'
        f"{''.join(boxes)}"
        '<div class="buttons">'
        '<button type="submit" name="action" value="cancel">Cancel</button>'
        '<button type="submit" name="action" value="authorize">Authorize</button>'
        "</div></form>"
    )
    return _page(f"Authorize {app_name}", body)
