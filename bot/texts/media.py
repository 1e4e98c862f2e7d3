"""What the bot says about a video or photo TikTok would refuse (plain values in, HTML out)."""

from __future__ import annotations

import html

# Container MIME types as people know them.
_CONTAINER_NAMES = {
    "video/x-matroska": "MKV",
    "video/3gpp": "3GP",
    "video/mp4": "MP4",
    "video/quicktime": "MOV",
    "video/webm": "WebM",
}
_CODEC_NAMES = {
    "av1": "AV1",
    "mpeg4": "MPEG-4 Part 2",
    "mjpeg": "Motion JPEG",
    "h263": "H.263",
    "prores": "ProRes",
}

VIDEO_DAMAGED = (
    "This video can't be read: the file is empty, cut off or damaged (maybe the upload "
    "or the download stopped early). Send the complete video again."
)
VIDEO_WITHOUT_PICTURE = (
    "This file has no picture, only sound. TikTok needs a video; add an image or a clip "
    "to it in an editor and send that."
)
PHOTO_DAMAGED = "This photo is damaged or isn't a picture I can read; send it again."


def container_name(mime: str) -> str:
    """MKV, MP4, ... for a container MIME type."""
    return _CONTAINER_NAMES.get(mime, mime.split("/")[-1].upper())


def wrong_container(mime: str) -> str:
    """A video in a container TikTok does not take."""
    return (
        f"This video is an {container_name(mime)} file; TikTok accepts MP4, MOV or WebM. "
        "Convert it to MP4 (any video converter or editor can) and send it again."
    )


def wrong_codec(codec: str) -> str:
    """A video compressed with a codec TikTok does not take."""
    name = _CODEC_NAMES.get(codec, codec.upper())
    return (
        f"This video is compressed with {name}; TikTok accepts H.264, H.265, VP8 or VP9. "
        "Export it as H.264 MP4 and send it again."
    )


def wrong_frame_rate(fps: float) -> str:
    """A frame rate outside 23-60."""
    shown = f"{fps:.0f}" if abs(fps - round(fps)) < 0.05 else f"{fps:.2f}"
    return (
        f"This video is {shown} fps; TikTok accepts 23-60 fps. "
        "Export it at 30 or 60 fps and send it again."
    )


def wrong_picture_size(width: int, height: int) -> str:
    """A side below 360 or above 4096 pixels."""
    if min(width, height) < 360:
        advice = "Export it at 720p or 1080p and send it again."
    else:
        advice = "Export it at 4K (3840×2160) or less and send it again."
    return (
        f"This video is {width}×{height} pixels; TikTok needs 360 to 4096 pixels "
        f"on each side. {advice}"
    )


def too_long(seconds: float, limit: int) -> str:
    """Longer than TikTok's maximum."""
    return (
        f"This video is {_clock(seconds)} long; TikTok takes videos up to {_clock(limit)}. "
        "Trim it and send it again."
    )


def too_big(size: int, limit: int) -> str:
    """Over TikTok's 4 GB."""
    return (
        f"This video is {size / 1024**3:.1f} GB; TikTok takes up to {limit / 1024**3:.0f} GB. "
        "Export a smaller version and send it again."
    )


def photo_in_album_damaged(number: int, total: int, name: str | None = None) -> str:
    """One photo of an album cannot be read (named by its file name when it has one)."""
    which = f"Photo {number} of {total}" + (f" ({html.escape(name)})" if name else "")
    return (
        f"{which} is damaged or isn't a picture I can read; "
        "send the album again without it (or with a good copy of it)."
    )


def photo_too_large(width: int, height: int, number: int, total: int) -> str:
    """A picture with more pixels than the bot decodes."""
    which = f"Photo {number} of {total}" if total > 1 else "This picture"
    size = f" is {width}×{height} pixels," if width and height else " has"
    return (
        f"{which}{size} more pixels than I can safely convert. "
        "Send a smaller version (an export at 4000 pixels or less on the long side)."
    )


def _clock(seconds: float) -> str:
    whole = int(seconds)
    tenths = round((seconds - whole) * 10)
    if tenths == 10:
        whole, tenths = whole + 1, 0
    minutes, rest = divmod(whole, 60)
    fraction = f".{tenths}" if tenths else ""
    return f"{minutes}:{rest:02d}{fraction}"


# -- previews and the cover picker -------------------------------------------------

COVER_PROMPT = (
    "Choose the cover: tap the number of the frame TikTok should show, or leave it to TikTok."
)
COVER_UNAVAILABLE = "I couldn't read frames from this video; TikTok will choose the cover."
BUTTON_CHOOSE_COVER = "🖼 Choose cover"
BUTTON_TIKTOK_COVER = "TikTok's choice"
PHOTOS_AS_TIKTOK_GETS_THEM = "🖼 As TikTok will get them (sRGB JPEG, 1080 px at most)."


def video_preview_caption(seconds: int | None, width: int | None, height: int | None) -> str:
    """The still's caption: length and size of the video."""
    parts = []
    if seconds is not None:
        parts.append(f"{seconds // 60}:{seconds % 60:02d}")
    if width and height:
        parts.append(f"{width}×{height}")
    return "🎬 " + (" · ".join(parts) if parts else "Video")


def cover_button(number: int) -> str:
    """The button of frame `number` on the contact sheet."""
    return str(number)


def cover_chosen(timestamp_ms: int | None) -> str:
    """The composer's note on the chosen cover."""
    if timestamp_ms is None:
        return "cover: TikTok's choice"
    seconds = timestamp_ms / 1000
    return f"cover: frame at {int(seconds) // 60}:{seconds % 60:04.1f}"
