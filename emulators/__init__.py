"""Local stand-ins for the services the bot talks to: TikTok and the Telegram Bot API.

They import nothing from the bot, so a test that passes against them checks the
bot against an independent reading of each service's rules.
"""
