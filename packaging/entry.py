"""Entry point of the frozen program: the same CLI, ``gui`` when started without arguments."""

from reviewer_app.cli import main

main()
