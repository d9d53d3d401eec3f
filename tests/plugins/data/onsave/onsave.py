def activate(ctx):
    ctx.on("saved", lambda ctx, buf: ctx.notify(f"saved {buf.path}: {buf.text()!r}"))
