"""kiro_proto.ui: the Textual application and widgets."""

from ._app import KiroApp, OpenBuffer
from ._editor import EditorView
from ._render import LineRenderer, Palette, RowDecor

__all__ = ["EditorView", "KiroApp", "LineRenderer", "OpenBuffer", "Palette", "RowDecor"]
