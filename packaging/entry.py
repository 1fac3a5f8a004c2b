"""Entry point of the frozen program: the ``reviewer-app`` CLI (``gui`` without arguments).

``--self-check DB PNG`` (first argument only, not in ``--help``) runs packaging/
frozen_self_check.py inside the built program instead; packaging/smoke-test.sh uses it.
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["--self-check"]:
        from frozen_self_check import main as self_check

        sys.exit(self_check(sys.argv[2:]))

    from reviewer_app.cli import cli

    try:
        # The program is installed as synthesis-reviewer, so usage lines should say so.
        cli(prog_name="synthesis-reviewer")
    except ImportError as exc:
        # Qt loads libGL/libEGL from the system (they are not bundled): name the fix.
        if "cannot open shared object file" not in str(exc):
            raise
        sys.exit(
            f"synthesis-reviewer: the window needs a system library that is missing: {exc}. "
            "On Debian or Ubuntu: sudo apt install libgl1 libegl1 fontconfig-config"
        )
