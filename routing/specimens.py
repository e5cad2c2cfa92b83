"""Specimen signature and seal images drawn in code, for the demo and the tests.

Both are PNG files with a transparent background, as Decree 30 Appendix I asks of
the real ones: a blue handwritten-looking signature, and a red round seal of the
agency's actual size (the PNG's resolution gives it: 36 mm across).
"""

import hashlib
import io
import math
import random

from PIL import Image, ImageDraw, ImageFont

from hoso.fonts import FONT_DIR

BLUE = (20, 50, 170, 255)
RED = (215, 25, 32, 255)
SEAL_MM = 36
SEAL_DPI = 300
SCALE = 4  # drawn this much larger, then reduced: smooth edges


def _png(image, dpi=None) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buffer.getvalue()


def _rng(text) -> random.Random:
    return random.Random(hashlib.sha256(text.encode()).digest())


def _stroke(draw, points, width, colour):
    """A pen stroke along points: round dots close together, thicker in the middle of the stroke."""
    last = len(points) - 1
    for i, (x, y) in enumerate(points):
        r = width / 2 * (0.55 + 0.45 * math.sin(math.pi * i / last))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)


def signature_png(full_name: str, width=600, height=260) -> bytes:
    """A looped, slanted signature with an underline flourish, the same for the same name."""
    rng = _rng(full_name)
    w, h = width * SCALE, height * SCALE
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    loops = 3 + rng.randint(0, 2)
    heights = [0.55 + 0.35 * rng.random() for _ in range(loops)]
    path = []
    for step in range(1600):
        t = step / 1599
        loop = min(int(t * loops), loops - 1)
        phase = 2 * math.pi * loops * t
        # a prolate cycloid: the pen runs right while circling, which draws cursive loops
        x = 0.12 + 0.66 * t - 0.055 * math.sin(phase)
        y = 0.58 - 0.22 * heights[loop] * (1 - math.cos(phase)) + 0.05 * t
        path.append(((x + 0.18 * (0.58 - y)) * w, y * h))  # slant to the right
    _stroke(draw, path, 4.5 * SCALE, BLUE)
    flourish = [(0.08 + 0.86 * t, 0.80 - 0.10 * t + 0.05 * math.sin(math.pi * t)) for t in (i / 399 for i in range(400))]
    _stroke(draw, [(x * w, y * h) for x, y in flourish], 3.5 * SCALE, BLUE)
    return _png(image.resize((width, height), Image.LANCZOS))


def _star(draw, centre, radius, colour):
    cx, cy = centre
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.38
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=colour)


def _text_around(image, text, centre, radius, font, colour):
    """Write text clockwise along the top of a circle, each letter upright to the circle."""
    size = font.size * 2
    spans = [font.getlength(ch) for ch in text]
    total = sum(spans) / radius  # radians the text takes
    angle = -math.pi / 2 - total / 2
    for ch, span in zip(text, spans, strict=True):
        middle = angle + span / radius / 2
        letter = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        ImageDraw.Draw(letter).text((size / 2, size / 2), ch, font=font, fill=colour, anchor="mm")
        letter = letter.rotate(-math.degrees(middle) - 90, resample=Image.BICUBIC)
        x = centre[0] + radius * math.cos(middle) - size / 2
        y = centre[1] + radius * math.sin(middle) - size / 2
        image.alpha_composite(letter, (round(x), round(y)))
        angle += span / radius


def seal_png(agency_name: str, place: str = "") -> bytes:
    """A round red seal: the agency's name around the rim, the place below the star, 36 mm across."""
    pixels = round(SEAL_MM / 25.4 * SEAL_DPI)
    big = pixels * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre, outer = (big / 2, big / 2), big / 2 - 2 * SCALE
    draw.ellipse([2 * SCALE, 2 * SCALE, big - 2 * SCALE, big - 2 * SCALE], outline=RED, width=round(big * 0.025))
    inner = outer * 0.70
    draw.ellipse([centre[0] - inner, centre[1] - inner, centre[0] + inner, centre[1] + inner], outline=RED,
                 width=round(big * 0.01))
    bold = str(FONT_DIR / "DejaVuSerif-Bold.ttf")
    name = agency_name.upper()
    font_size = round(big * 0.085)
    while font_size > 8 and ImageFont.truetype(bold, font_size).getlength(name) > 2 * math.pi * outer * 0.62:
        font_size -= 2
    _text_around(image, name, centre, (outer + inner) / 2, ImageFont.truetype(bold, font_size), RED)
    _star(draw, (centre[0], centre[1] - inner * 0.15), inner * 0.45, RED)
    if place:
        draw.text((centre[0], centre[1] + inner * 0.55), place.upper(), font=ImageFont.truetype(bold, round(big * 0.06)),
                  fill=RED, anchor="mm")
    return _png(image.resize((pixels, pixels), Image.LANCZOS), dpi=SEAL_DPI)
