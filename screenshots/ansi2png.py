#!/usr/bin/env python3
"""Render a tmux `capture-pane -e -p` dump (text with SGR colour escapes) to a
PNG, cell by cell, so screenshots show the real screen of the real binary.

usage: ansi2png.py INPUT.ansi OUTPUT.png [COLUMNS ROWS]
"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
SIZE = 15
# The xterm 16-colour palette, as most terminals show it.
PALETTE = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16),
    (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67),
    (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
]
DEFAULT_FG = (229, 229, 229)
DEFAULT_BG = (24, 24, 24)
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def xterm256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


class Pen:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = False
        self.reverse = False
        self.underline = False

    def apply(self, params):
        codes = [int(p) if p else 0 for p in re.split("[;:]", params)] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = PALETTE[c - 30]
            elif c == 39:
                self.fg = None
            elif 40 <= c <= 47:
                self.bg = PALETTE[c - 40]
            elif c == 49:
                self.bg = None
            elif 90 <= c <= 97:
                self.fg = PALETTE[c - 90 + 8]
            elif 100 <= c <= 107:
                self.bg = PALETTE[c - 100 + 8]
            elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                col = xterm256(codes[i + 2])
                if c == 38:
                    self.fg = col
                else:
                    self.bg = col
                i += 2
            elif c in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
                col = tuple(codes[i + 2:i + 5])
                if c == 38:
                    self.fg = col
                else:
                    self.bg = col
                i += 4
            i += 1

    def colours(self):
        fg = self.fg or DEFAULT_FG
        bg = self.bg or DEFAULT_BG
        if self.bold and self.fg in PALETTE[:8]:
            fg = PALETTE[PALETTE.index(self.fg) + 8]
        if self.reverse:
            fg, bg = bg, fg
        return fg, bg


def cells(text, cols, rows):
    """Yield (row, col, char, width, fg, bg, bold, underline)."""
    pen = Pen()
    for r, line in enumerate(text.split("\n")[:rows]):
        c = 0
        pos = 0
        while pos < len(line):
            m = SGR.match(line, pos)
            if m:
                pen.apply(m.group(1))
                pos = m.end()
                continue
            ch = line[pos]
            pos += 1
            if ch == "\x1b":
                continue  # other escapes are not screen content
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if c + w > cols:
                break
            fg, bg = pen.colours()
            yield r, c, ch, w, fg, bg, pen.bold, pen.underline
            c += w
        # tmux trims trailing blanks; the rest of the row keeps the pen's background.
        fg, bg = pen.colours()
        if bg != DEFAULT_BG:
            for cc in range(c, cols):
                yield r, cc, " ", 1, fg, bg, False, False


def main():
    src, out = sys.argv[1], sys.argv[2]
    cols = int(sys.argv[3]) if len(sys.argv) > 3 else 120
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else 32
    text = open(src, encoding="utf-8", errors="replace").read()
    regular = ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", SIZE)
    bold = ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", SIZE)
    left, top, right, bottom = regular.getbbox("M")
    cw = int(regular.getlength("M") + 0.5)
    ch = SIZE + 4
    img = Image.new("RGB", (cols * cw + 16, rows * ch + 16), DEFAULT_BG)
    draw = ImageDraw.Draw(img)
    for r, c, char, w, fg, bg, is_bold, underline in cells(text, cols, rows):
        x, y = 8 + c * cw, 8 + r * ch
        draw.rectangle([x, y, x + w * cw - 1, y + ch - 1], fill=bg)
        if char != " ":
            draw.text((x, y + 1), char, font=bold if is_bold else regular, fill=fg)
        if underline:
            draw.line([x, y + ch - 2, x + w * cw - 1, y + ch - 2], fill=fg)
    img.save(out)


if __name__ == "__main__":
    main()
