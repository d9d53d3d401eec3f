"""Colours: one Pygments style colours both tree-sitter spans (capture names are mapped to
Pygments token names in the engine) and Pygments spans. One rich Style per token name is
built once and shared by every row (flyweight)."""

from __future__ import annotations

from rich.style import Style

from .. import switches
from ._render import Palette

__all__ = ["SyntaxTheme", "DEFAULT_STYLE"]

DEFAULT_STYLE = "one-dark"


def _shade(hex_colour: str, amount: int) -> str:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    rgb = [max(0, min(255, int(h[i : i + 2], 16) + amount)) for i in (0, 2, 4)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


class SyntaxTheme:
    def __init__(self, style_name: str = DEFAULT_STYLE) -> None:
        from pygments.styles import get_style_by_name
        from pygments.token import Token

        self.name = style_name
        self._style = get_style_by_name(style_name)
        self._cache: dict[str, Style] = {}
        bg = self._style.background_color or "#1e222a"
        if not bg.startswith("#"):
            bg = "#1e222a"
        fg = self._style.style_for_token(Token.Text).get("color") or \
            self._style.style_for_token(Token.Name).get("color")
        fg = "#" + fg if fg else "#d8dee9"
        self.background = bg
        self.palette = Palette(
            text=Style(color=fg, bgcolor=bg),
            gutter=Style(color=_shade(bg, 60), bgcolor=_shade(bg, -6)),
            gutter_current=Style(color=_shade(fg, -20), bgcolor=_shade(bg, -6), bold=True),
            cursor=Style(color=bg, bgcolor=fg),
        )

    def style(self, token: str) -> Style:
        """The shared Style for a token name such as ``"Keyword.Constant"``. With the
        ``compact`` switch off (docs/patterns/02), a new equal Style on every call."""
        cached = self._cache.get(token)
        if cached is None:
            from pygments.token import string_to_tokentype

            spec = self._style.style_for_token(string_to_tokentype(token))
            cached = Style(
                color=("#" + spec["color"]) if spec.get("color") else None,
                bold=spec.get("bold") or None,
                italic=spec.get("italic") or None,
                underline=spec.get("underline") or None,
            )
            if switches.SWITCHES.compact:
                self._cache[token] = cached
        return cached

    @staticmethod
    def available() -> list[str]:
        from pygments.styles import get_all_styles

        return sorted(get_all_styles())
