"""The recovery journal: every edit of a modified buffer, appended to a checksummed msgpack
log in the user's state directory, so a killed editor loses at most the last second.

Format and recovery rules: docs/reliability.md. The UI decides when to flush
(``Journal.flush``) and what to offer on start (``scan_journals``, ``replay``).
"""

from ._format import MAGIC, decode_records, encode_record
from ._journal import (SNAPSHOT_LIMIT, Journal, JournalFile, JournalStatistics, Owner, Replayed,
                       journal_directory, owner_alive, replay, scan_journals, warm_up)

__all__ = [
    "MAGIC", "SNAPSHOT_LIMIT", "Journal", "JournalFile", "JournalStatistics", "Owner", "Replayed",
    "decode_records", "encode_record", "journal_directory", "owner_alive", "replay",
    "scan_journals", "warm_up",
]
