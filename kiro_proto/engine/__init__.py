"""kiro_proto.engine: the trio side of the editor (message bus, workers, syntax service).

Never imports textual. The foundation release keeps all editing synchronous in core; the
engine's services arrive with the engine milestone (see docs/architecture.md).
"""

__all__: list[str] = []
