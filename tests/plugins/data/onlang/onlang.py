def activate(ctx):
    def seen(ctx, buf):
        ctx.set_status(f"{buf.language} {len(buf)} bytes rev {buf.revision}")

    ctx.on("opened", seen)
    ctx.on("changed", seen)
