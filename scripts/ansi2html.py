#!/usr/bin/env python3
"""Turn `tmux capture-pane -e -p` output (text with SGR colour codes) into a small
self-contained HTML page that looks like the terminal, for screenshots.

Usage: ansi2html.py COLS ROWS < capture.txt > screen.html
Only SGR sequences (ESC [ ... m) are expected; anything else is dropped.
"""
import html
import re
import sys

# A dark terminal palette (xterm-like, softened).
BASIC = [
    "#1e1e1e", "#e06c75", "#98c379", "#e5c07b", "#3f7fcf", "#c678dd", "#56b6c2", "#d0d0d0",
    "#5c6370", "#ff7b86", "#b5e890", "#ffd88a", "#82c4ff", "#de97f0", "#7fd6e0", "#ffffff",
]
FG, BG = "#d0d0d0", "#1e1e1e"


def xterm256(n):
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False

    def apply(self, params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 3:
                self.italic = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 23:
                self.italic = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = BASIC[c - 30]
            elif 90 <= c <= 97:
                self.fg = BASIC[c - 90 + 8]
            elif c == 39:
                self.fg = None
            elif 40 <= c <= 47:
                self.bg = BASIC[c - 40]
            elif 100 <= c <= 107:
                self.bg = BASIC[c - 100 + 8]
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    colour = xterm256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    colour = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                    i += 4
                else:
                    colour = None
                if c == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1

    def css(self):
        fg, bg = self.fg or FG, self.bg or BG
        if self.reverse:
            fg, bg = bg, fg
        parts = []
        if fg != FG:
            parts.append("color:" + fg)
        if bg != BG:
            parts.append("background:" + bg)
        if self.bold:
            parts.append("font-weight:bold")
        if self.dim:
            parts.append("opacity:.7")
        if self.italic:
            parts.append("font-style:italic")
        if self.underline:
            parts.append("text-decoration:underline")
        return ";".join(parts)


SEQ = re.compile(r"\x1b\[([0-9;]*)([A-Za-z])|\x1b[^\[]")


def convert(text):
    style = Style()
    out = []
    for line in text.split("\n"):
        pos = 0
        for m in SEQ.finditer(line):
            chunk = line[pos:m.start()]
            if chunk:
                out.append(span(chunk, style))
            if m.group(2) == "m":
                style.apply(m.group(1))
            pos = m.end()
        rest = line[pos:]
        if rest:
            out.append(span(rest, style))
        out.append("\n")
    return "".join(out).rstrip("\n")


def span(chunk, style):
    css = style.css()
    body = html.escape(chunk)
    return f'<span style="{css}">{body}</span>' if css else body


def main():
    cols, rows = int(sys.argv[1]), int(sys.argv[2])
    body = convert(sys.stdin.read())
    print(f"""<!doctype html>
<html><head><meta charset="utf-8"><style>
html, body {{ margin: 0; background: {BG}; }}
pre {{ margin: 0; padding: 10px 12px; color: {FG}; background: {BG};
      font: 15px/18px "DejaVu Sans Mono", "Liberation Mono", monospace;
      width: {cols}ch; height: {rows * 18}px; white-space: pre; overflow: hidden; }}
</style></head><body><pre>{body}</pre></body></html>""")


if __name__ == "__main__":
    main()
