"""Media as TikTok judges it: sniffing, probing (FFmpeg via PyAV), rules, photos, frames."""
