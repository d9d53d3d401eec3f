import time


def activate(ctx):
    def forever(ctx, args):
        while True:
            time.sleep(3600)

    ctx.register_command("hang.forever", forever)
    ctx.register_command("hang.ping", lambda ctx, args: "pong")
