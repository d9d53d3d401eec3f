"""kiro-proto: a reference async editor engine with a terminal editor on Textual.

Layers: ``kiro_proto.core`` (text model) <- ``kiro_proto.engine`` (trio side) <-
``kiro_proto.ui`` (Textual). Importing this package imports none of them.
"""

__version__ = "0.1.0"
