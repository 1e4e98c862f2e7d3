"""Ways to run the bot: against real services, the sandbox, or fully offline."""
