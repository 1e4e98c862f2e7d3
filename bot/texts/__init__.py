"""Every user-facing string, in one place (ready for translation).

Messages are HTML (Telegram parse_mode=HTML): dynamic values go through
`esc`. Each feature has its own module; this package is the one door.
"""

from bot.texts import accounts, comments, common, publishing, stats
from bot.texts.common import esc

__all__ = ["accounts", "comments", "common", "esc", "publishing", "stats"]
