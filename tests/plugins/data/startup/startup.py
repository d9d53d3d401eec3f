def activate(ctx):
    ctx.set_status("startup plugin here")
