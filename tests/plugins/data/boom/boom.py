import os


def activate(ctx):
    ctx.register_command("boom.exit", lambda ctx, args: os._exit(3))
    ctx.register_command("boom.raise", lambda ctx, args: 1 / 0)
    ctx.register_command("boom.echo", lambda ctx, args: {"message": f"pid {os.getpid()}"})

    def noisy(ctx, args):
        print("this must not reach the channel")
        os.write(1, b"\x00\x00\x00\x05junk!")
        return "still fine"

    ctx.register_command("boom.print", noisy)
