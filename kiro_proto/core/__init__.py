"""kiro_proto.core: the text model and pure algorithms. Synchronous, standard library only.

Nothing here imports textual, trio or msgpack (tests/test_layers.py checks it).
"""

# First, before any other module of the package loads: the mypyc build (``make native``)
# or the .py files (docs/patterns/01-native-compilation.md).
from ._native import NativeStatus, activate as _activate

NATIVE: NativeStatus = _activate(__path__)

from ._buffer import TextBuffer
from ._commands import EditorState
from ._display import LineLayout, char_cells, layout_line, sanitize
from ._document import BOM, Document, decode, encode
from ._edit import Edit, Point, Pos
from ._fenwick import Fenwick
from ._files import (BINARY_SNIFF, DiskStamp, FileProblem, LoadedFile, hash_document, hash_file,
                     load_file, save_file, stat_stamp)
from ._history import History, Transaction
from ._language import language_for_path
from ._lru import LRU, CacheStatistics
from ._fuzzy import FuzzyIndex, fuzzy_score
from ._gitignore import IgnoreRules
from ._motion import indent_unit, leading_indent, word_left, word_right
from ._search import Finder, Match, SearchError
from ._selection import Selection

__all__ = [
    "BINARY_SNIFF", "BOM", "NATIVE", "NativeStatus", "CacheStatistics", "FuzzyIndex", "IgnoreRules", "LRU", "fuzzy_score", "DiskStamp", "Document", "Edit", "EditorState", "Fenwick", "FileProblem", "Finder", "History",
    "LineLayout", "LoadedFile", "Match", "Point", "Pos", "SearchError", "Selection",
    "TextBuffer", "Transaction", "char_cells", "decode", "encode", "indent_unit",
    "hash_document", "hash_file", "language_for_path", "layout_line", "leading_indent", "load_file", "sanitize", "save_file", "stat_stamp",
    "word_left", "word_right",
]
