"""A Telegram bot that posts to TikTok."""

import os

# python-telegram-bot 22 is moving durations (Video.duration, ...) from int to
# timedelta and warns on every access until code opts in; we use the new type.
os.environ.setdefault("PTB_TIMEDELTA", "1")
