"""The baseline: a bare Typer app with one option, on the same Python and the same typer."""

import typer

app = typer.Typer()


@app.command()
def main(region: str = "") -> None:
    print(region)


app()
