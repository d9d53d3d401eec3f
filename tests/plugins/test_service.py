"""The plugin service with a real host process: activation events, deadlines (a plugin that
hangs), the restart policy (a host killed again and again), hostile frames, batching."""

from __future__ import annotations

import os

import pytest
import trio

from kiro_proto.core import Document, Pos
from kiro_proto.engine import ApplyEdit, OpenDocument
from kiro_proto.engine.plugins import (DocumentSaved, LoadPlugins, PluginActivated,
                                       PluginChannelClosed, PluginCommandDone, PluginHostDown,
                                       PluginOutputs, PluginService, PluginStateChanged,
                                       RunPluginCommand)
from kiro_proto.plugin_host import read_manifest

DATA = os.path.join(os.path.dirname(__file__), "data")
REPO_PLUGINS = os.path.join(os.path.dirname(__file__), "..", "..", "plugins")


def manifests(*names: str, root: str = DATA) -> tuple:
    return tuple(read_manifest(os.path.join(root, n), "path") for n in names)


class Harness:
    """A PluginService under trio with its events collected; ``wait_for`` polls them."""

    def __init__(self, nursery, tmp_path, **kwargs) -> None:
        self.events: list = []
        self.service = PluginService(self.events.append,
                                     log_path=str(tmp_path / "plugin-host.log"), **kwargs)
        self.send, receive = trio.open_memory_channel(64)
        nursery.start_soon(self.service.serve, receive)
        self.ids = 0

    async def started(self) -> "Harness":
        while self.service.worker is None:
            await trio.sleep(0.001)
        return self

    async def wait_for(self, predicate, timeout: float = 20.0):
        with trio.fail_after(timeout):
            while True:
                for event in self.events:
                    if predicate(event):
                        return event
                await trio.sleep(0.01)

    async def run(self, plugin: str, command: str, args: dict | None = None,
                  timeout: float = 20.0) -> PluginCommandDone:
        self.ids += 1
        rid = self.ids
        await self.send.send(RunPluginCommand(rid, plugin, command, args or {}))
        return await self.wait_for(
            lambda e: isinstance(e, PluginCommandDone) and e.request_id == rid, timeout)


def run_trio(test, tmp_path, **kwargs):
    async def main():
        async with trio.open_nursery() as nursery:
            h = await Harness(nursery, tmp_path, **kwargs).started()
            try:
                await test(h)
            finally:
                nursery.cancel_scope.cancel()
    trio.run(main)


def test_a_plugin_that_hangs_times_out_and_is_marked_unresponsive(tmp_path):
    async def test(h: Harness):
        await h.send.send(LoadPlugins(manifests("hang", "boom"), None))
        done = await h.run("hang", "hang.forever")
        assert done.error and "did not answer in 0.5 s" in done.error
        assert 0.4 < done.seconds < 5
        state = await h.wait_for(lambda e: isinstance(e, PluginStateChanged))
        assert (state.plugin, state.state) == ("hang", "unresponsive")
        # The host was restarted without the hung plugin: the others still answer.
        done = await h.run("boom", "boom.echo")
        assert done.error is None and done.result["message"].startswith("pid ")
        assert "hang" not in h.service.active
        assert h.service.statistics().timeouts >= 1
        # Asked again by the user, it gets another chance.
        done = await h.run("hang", "hang.ping")
        assert done.result == "pong"

    run_trio(test, tmp_path, deadline=0.5)


def test_a_host_killed_again_and_again_is_restarted_3_times_then_stays_down(tmp_path):
    async def test(h: Harness):
        await h.send.send(LoadPlugins(manifests("boom", "hang"), None))
        pids = []
        for attempt in range(4):
            done = await h.run("boom", "boom.echo")
            assert done.error is None, done.error
            pids.append(h.service.worker.pid)
            h.service.worker.kill()
            if attempt < 3:
                # restarted at once, and the active plugin is activated again
                await h.wait_for(lambda e: isinstance(e, PluginActivated)
                                 and sum(isinstance(x, PluginActivated) for x in h.events)
                                 >= attempt + 2)
        down = await h.wait_for(lambda e: isinstance(e, PluginHostDown))
        assert down.plugins == ("boom", "hang")
        assert len(set(pids)) == 4
        assert h.service.statistics().restarts == 3
        assert h.service.statistics().host_gave_up
        done = await h.run("boom", "boom.echo", timeout=2)
        assert done.error and "could not be activated" in done.error
        log = (h.service.log_path and open(h.service.log_path).read()) or ""
        assert "stays down" in log and "boom, hang" in log

    run_trio(test, tmp_path)


def test_a_crashing_command_and_a_raising_one(tmp_path):
    async def test(h: Harness):
        await h.send.send(LoadPlugins(manifests("boom"), None))
        done = await h.run("boom", "boom.raise")
        assert "ZeroDivisionError" in done.error
        done = await h.run("boom", "boom.print")  # print and raw fd 1 writes go to the log
        assert done.result == "still fine"
        done = await h.run("boom", "boom.exit")
        assert done.error and "exited" in done.error
        done = await h.run("boom", "boom.echo")  # restarted, reactivated
        assert done.error is None
        assert h.service.statistics().restarts == 1

    run_trio(test, tmp_path)


@pytest.mark.parametrize("kind", ["garbage", "oversized", "nested", "truncated"])
def test_a_malformed_frame_closes_the_channel_and_is_logged(tmp_path, monkeypatch, kind):
    monkeypatch.setenv("KIRO_EVIL", kind)

    async def test(h: Harness):
        await h.send.send(LoadPlugins(manifests("boom"), None))
        done = await h.run("boom", "boom.echo", timeout=10)
        assert done.error  # the channel was closed under the request
        closed = await h.wait_for(lambda e: isinstance(e, PluginChannelClosed))
        assert closed.reason
        assert h.service.statistics().channel_errors >= 1
        assert "channel closed" in open(h.service.log_path).read()
        h.service.worker.gave_up = True  # stop the evil host from being restarted again

    run_trio(test, tmp_path, host_module="tests.plugins.evil_host")


def test_activation_events_and_batched_buffer_events(tmp_path):
    async def test(h: Harness):
        doc = Document(b"x = 1\n")
        h.service.observe(OpenDocument(1, doc, "Python"))
        h.service.observe(OpenDocument(2, Document(b"notes"), "Markdown"))
        assert h.service.worker is not None and not h.service.worker.alive  # nothing yet
        await h.send.send(LoadPlugins(manifests("onlang", "onsave", "startup", "boom"), None))
        first = await h.wait_for(lambda e: isinstance(e, PluginActivated))
        assert first.cold
        await h.wait_for(lambda e: isinstance(e, PluginActivated) and e.plugin == "onlang")
        assert {"onlang", "startup"} <= set(h.service.active)
        assert "onsave" not in h.service.active and "boom" not in h.service.active
        await h.wait_for(lambda e: isinstance(e, PluginOutputs) and
                         ("onlang", "status", ["onlang", "Python 6 bytes rev 0"]) in
                         [tuple(i) for i in e.items])
        # 30 edits in a burst: one frame, one "changed" for the buffer.
        frames = h.service.frames_sent
        for i in range(30):
            h.service.observe(ApplyEdit(1, doc.insert(doc.clamp(Pos(0, 0)), "#")))
        await h.wait_for(lambda e: isinstance(e, PluginOutputs) and any(
            i[2] == ["onlang", "Python 36 bytes rev 30"] for i in e.items))
        assert h.service.frames_sent - frames == 1
        # onSave activates its plugin, which then hears about the save.
        await h.send.send(DocumentSaved(1, "/tmp/x.py"))
        note = await h.wait_for(lambda e: isinstance(e, PluginOutputs) and any(
            i[0] == "onsave" and i[1] == "notify" for i in e.items))
        text = [i for i in note.items if i[0] == "onsave"][0][2][0]
        assert text.startswith("saved /tmp/x.py: '" + "#" * 30 + "x = 1")

    run_trio(test, tmp_path)


def test_bundled_plugins_answer_through_the_host(tmp_path):
    async def test(h: Harness):
        workspace = tmp_path / "ws"
        workspace.mkdir()
        (workspace / "a.py").write_text("def alpha():\n    pass  # TODO: write alphabet\n")
        (workspace / "b.md").write_text("FIXME later\nalphanumeric\n")
        source = "class Shape:\n    def area(self):\n        return alp\n\ndef main():\n    pass\n"
        doc = Document(source.encode())
        h.service.observe(OpenDocument(7, doc, "Python"))
        await h.send.send(LoadPlugins(manifests("wordstats", "todo", "outline", "complete",
                                                root=REPO_PLUGINS), str(workspace)))
        done = await h.run("wordstats", "wordstats.count", {"doc_id": 7})
        assert done.result == {"message": "10 words, 6 lines, 74 characters"}
        done = await h.run("outline", "outline.goto", {"doc_id": 7})
        labels = [i[0] for i in done.result["pick"]]
        assert labels == ["class Shape  :1", "  function area  :2", "function main  :5"]
        done = await h.run("todo", "todo.find", {"doc_id": 7})
        labels = [i[0] for i in done.result["pick"]]
        assert labels == ["a.py:2  pass  # TODO: write alphabet", "b.md:1  FIXME later"]
        done = await h.run("complete", "complete.word", {"doc_id": 7, "row": 2, "col": 18})
        assert done.result["prefix"] == "alp"
        assert set(done.result["insert"]) == {"alpha", "alphabet", "alphanumeric"}

    run_trio(test, tmp_path)


def test_host_ignores_an_edit_its_buffer_already_contains():
    """An open carries the text at the open's revision; an edit of that revision queued
    behind it is already in the text and must not be applied again."""
    import io

    from kiro_proto.plugin_host._host import Host

    host = Host(io.BytesIO(), io.BytesIO())
    host.apply_batch([["open", 1, b"abc\n", "Text", 2, None, 4],
                      ["edit", 1, 2, 0, 0, b"a"],      # revision 2: already in "abc"
                      ["edit", 1, 3, 3, 3, b"d"]])     # revision 3: new
    assert bytes(host.buffers[1]._data) == b"abcd\n"
    assert host.buffers[1].revision == 3


def test_host_assembles_a_document_sent_in_pieces():
    import io

    from kiro_proto.plugin_host._host import Host

    host = Host(io.BytesIO(), io.BytesIO())
    host.apply_batch([["open", 7, b"one\n", "Text", 0, None, 12]])
    assert 7 not in host.buffers  # not all in: plugins have not heard of it yet
    host.apply_batch([["append", 7, b"two\n"]])
    host.apply_batch([["append", 7, b"six\n"], ["edit", 7, 1, 0, 3, b"ONE"]])
    assert bytes(host.buffers[7]._data) == b"ONE\ntwo\nsix\n"


def test_service_sends_a_large_document_in_pieces_one_per_frame(monkeypatch):
    from kiro_proto.core import Document
    from kiro_proto.engine.plugins import _service

    monkeypatch.setattr(_service, "OPEN_CHUNK", 40_000)
    service = _service.PluginService.__new__(_service.PluginService)
    doc = Document(b"word " * 60_000)  # 300 KB
    service.documents = {3: (doc, "Text")}
    service.paths = {}
    frames = list(service._frames([["workspace", "/w"], service._open_item(3),
                                   ["close", 3]]))
    events = [e for f in frames for e in f]
    assert [e[0] for e in events][:2] == ["workspace", "open"]
    assert events[1][6] == len(doc) and events[-1] == ["close", 3]
    text = b"".join(e[2] for e in events if e[0] in ("open", "append"))
    assert text == doc.to_bytes()
    assert len(frames) > 5  # a piece of 40 KB or more ends its frame
