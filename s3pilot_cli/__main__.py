"""`python -m s3pilot_cli`: the same as the `s3pilot` command."""

from s3pilot_cli.cli import main

main()
