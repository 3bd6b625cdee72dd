"""CLI commands beyond ``extract``, one module per concern, each registering on ``diplograph.cli.app``.

``diplograph.cli`` imports these modules; a module only defines its Typer commands with
``@app.command()`` and calls library functions (the CLI stays a thin shell).
"""
