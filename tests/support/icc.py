"""ICC profiles built byte by byte for tests: AdobeRGB (matrix/TRC) and a small CMYK one.

Nothing binary is committed and no system profile is needed: an RGB matrix
profile is a handful of tags, and a CMYK input profile needs only a 2x2x2x2
lookup table (A2B0) from ink to Lab.
"""

from __future__ import annotations

import struct

from PIL import Image, ImageCms

_D50 = (0.9642, 1.0, 0.8249)
# AdobeRGB (1998) primaries adapted to D50, as in Adobe's own profile.
_ADOBE_RGB = ((0.60974, 0.31111, 0.01947), (0.20528, 0.62567, 0.06087), (0.14919, 0.06322, 0.74457))
_ADOBE_GAMMA = 563  # u8Fixed8: 2.19921875


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(values: tuple[float, float, float]) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_s15(v) for v in values)


def _desc(text: str) -> bytes:
    ascii_text = text.encode() + b"\0"
    return (
        b"desc\0\0\0\0"
        + struct.pack(">I", len(ascii_text))
        + ascii_text
        + struct.pack(">II", 0, 0)
        + b"\0\0\0"
        + b"\0" * 67
    )


def _profile(device_class: bytes, space: bytes, pcs: bytes, tags: dict[bytes, bytes]) -> bytes:
    table = struct.pack(">I", len(tags))
    offset = 128 + 4 + 12 * len(tags)
    body = b""
    for signature, data in tags.items():
        padded = data + b"\0" * (-len(data) % 4)
        table += struct.pack(">4sII", signature, offset + len(body), len(data))
        body += padded
    size = 128 + len(table) + len(body)
    header = (
        struct.pack(">I4sI4s4s4s", size, b"\0\0\0\0", 0x02100000, device_class, space, pcs)
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)
        + b"".join(_s15(v) for v in _D50)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + table + body


def adobe_rgb() -> bytes:
    """An AdobeRGB (1998) profile."""
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, _ADOBE_GAMMA)
    return _profile(
        b"mntr",
        b"RGB ",
        b"XYZ ",
        {
            b"desc": _desc("Test AdobeRGB"),
            b"wtpt": _xyz(_D50),
            b"cprt": b"text\0\0\0\0none\0",
            b"rXYZ": _xyz(_ADOBE_RGB[0]),
            b"gXYZ": _xyz(_ADOBE_RGB[1]),
            b"bXYZ": _xyz(_ADOBE_RGB[2]),
            b"rTRC": curve,
            b"gTRC": curve,
            b"bTRC": curve,
        },
    )


def cmyk_press(dot_gain: float = 0.8) -> bytes:
    """A CMYK profile whose inks print darker than the naive formula (like real presses)."""
    corners = []
    for c in (0, 1):
        for m in (0, 1):
            for y in (0, 1):
                for k in (0, 1):
                    corners.append(tuple(round(255 * (1 - ink) * (1 - k)) for ink in (c, m, y)))
    strip = Image.new("RGB", (16, 1))
    strip.putdata(corners)
    lab = ImageCms.profileToProfile(
        strip, ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB"), outputMode="LAB"
    )
    assert lab is not None
    clut = b""
    for index in range(16):
        lightness, a, b = lab.getpixel((index, 0))  # type: ignore[misc]
        if index:  # paper white stays white; every ink darkens
            lightness = round(lightness * dot_gain)
        clut += bytes((lightness, a, b))
    identity = bytes(range(256))
    matrix = b"".join(_s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))
    lut = b"mft1\0\0\0\0" + bytes((4, 3, 2, 0)) + matrix + identity * 4 + clut + identity * 3
    return _profile(
        b"prtr",
        b"CMYK",
        b"Lab ",
        {
            b"desc": _desc("Test CMYK press"),
            b"wtpt": _xyz(_D50),
            b"cprt": b"text\0\0\0\0none\0",
            b"A2B0": lut,
        },
    )
