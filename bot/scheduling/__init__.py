"""Posting later: time zones, typed times and presets, the user's settings."""
