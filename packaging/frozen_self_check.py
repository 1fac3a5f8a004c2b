"""``synthesis-reviewer --self-check DB PNG``: proves a built program is complete.

Used by packaging/smoke-test.sh against dist/synthesis-reviewer (it is hidden from ``--help``).
It runs inside the frozen program, so it sees exactly what PyInstaller collected:

1. the data files the app finds at run time (JSON schemas, demo records and PDF, Alembic
   migrations, qtawesome's icon fonts, pyqtgraph's colour maps) are inside the bundle, not in
   a source checkout the build happened to run from;
2. the Alembic scripts parse, and their head is the revision the database DB is at;
3. the real ``gui --screenshot`` path renders the window with the scoring dock open on its Plots
   tab (pyqtgraph), and each plot exports to PNG and SVG (pyqtgraph's lazily imported exporters).

It prints one ``ok``/``FAIL`` line per check and returns the exit status (0 when all pass).
Qt is not imported here (only reviewer_app.ui may): the checks go through the app's own code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

SCHEMAS = (
    "record.schema.json",
    "bundle-manifest.schema.json",
    "bundle-review.schema.json",
    "bundle-annotations.schema.json",
    "bundle-tier-policies.schema.json",
)


class SelfCheck:
    def __init__(self) -> None:
        self.failures = 0

    def report(self, ok: bool, what: str) -> bool:
        print(f"{'ok  ' if ok else 'FAIL'}  {what}", flush=True)
        self.failures += not ok
        return ok


def bundle_root() -> Path:
    # sys._MEIPASS is where a frozen program's files are; when run from source (to develop
    # this check) the checkout stands in for it.
    return Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))


def check_resources(check: SelfCheck) -> None:
    from reviewer_app.config import demo_workspace_dir, resources_dir, schema_path
    from reviewer_app.storage.database import MIGRATIONS_DIR

    root = bundle_root()
    frozen = hasattr(sys, "_MEIPASS")
    for name, folder in (("resources", resources_dir()), ("migrations", MIGRATIONS_DIR)):
        inside = folder.resolve().is_relative_to(root.resolve()) if frozen else True
        check.report(folder.is_dir() and inside, f"{name} folder {folder}")
    for name in SCHEMAS:
        path = schema_path(name)
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            ok = isinstance(loaded, dict) and "$schema" in loaded
        except (OSError, ValueError):
            ok = False
        check.report(ok, f"schema {path.name}")
    demo = demo_workspace_dir()
    records = sorted((demo / "records").glob("*.txt"))
    pdfs = sorted((demo / "pdfs").glob("*.pdf"))
    check.report(bool(records), f"demo records: {len(records)} in {demo / 'records'}")
    check.report(bool(pdfs), f"demo PDFs: {len(pdfs)} in {demo / 'pdfs'}")
    fonts = sorted((root / "qtawesome" / "fonts").glob("*.ttf")) if frozen else [root]
    check.report(bool(fonts), f"qtawesome icon fonts: {len(fonts)}")
    maps = sorted((root / "pyqtgraph" / "colors" / "maps").glob("*")) if frozen else [root]
    check.report(bool(maps), f"pyqtgraph colour maps: {len(maps)}")


def check_sentence_model(check: SelfCheck) -> None:
    """The evidence finder's model ships inside the program and gives unit vectors offline."""
    from reviewer_app.embeddings.minilm import MiniLM, ModelUnavailable, model_dir

    folder = model_dir()
    inside = folder is not None and (
        not hasattr(sys, "_MEIPASS") or folder.resolve().is_relative_to(bundle_root().resolve())
    )
    check.report(inside, f"sentence model folder {folder}")
    if folder is None:
        return
    try:
        vectors = MiniLM(folder).encode(["roughly a third of the claims", "34% of the claims"])
    except (ModelUnavailable, OSError) as exc:
        check.report(False, f"sentence model loads: {exc}")
        return
    norms = [round(float((row**2).sum()) ** 0.5, 3) for row in vectors]
    unit = vectors.shape == (2, 384) and norms == [1.0, 1.0]
    check.report(unit, f"sentence model vectors {vectors.shape}, norms {norms}")


def check_migrations(check: SelfCheck, db: str) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from reviewer_app.storage.database import MIGRATIONS_DIR, Database

    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    revisions = [rev.revision for rev in script.walk_revisions()]
    head = script.get_current_head()
    check.report(bool(revisions), f"migration scripts: {', '.join(reversed(revisions))}")
    database = Database.open(db, upgrade=False)
    try:
        with database.engine.connect() as connection:
            current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        database.engine.dispose()
    check.report(current == head, f"database {db} at migration head {head} (is at {current})")


def check_gui(check: SelfCheck, db: str, png: Path) -> None:
    """Runs the real ``gui --screenshot`` with the scoring dock opened just before the grab."""
    import reviewer_app.ui.app as ui_app
    from reviewer_app.cli import cli
    from reviewer_app.config import demo_workspace_dir

    original: Callable[..., None] = ui_app.save_screenshot
    plots_checked: list[bool] = []

    def save_with_plots(window: Any, path: Path, *args: Any, **kwargs: Any) -> None:
        window.app_actions["scoring_panel"].setChecked(True)
        dock = window.scoring_dock
        dock.tabs.setCurrentWidget(dock.plots)
        original(window, path, *args, **kwargs)
        for name in ("dimension_plot", "score_plot", "calibration_plot"):
            plot = getattr(dock.plots, name)
            items = len(plot.plot_item.items)
            exported = [
                plot.export(png.with_name(f"{png.stem}-{name}{s}")) for s in (".png", ".svg")
            ]
            sizes = [p.stat().st_size if p.exists() else 0 for p in exported]
            check.report(
                items > 0 and all(sizes), f"{name}: {items} items, exported {sizes} bytes PNG/SVG"
            )
        plots_checked.append(True)

    ui_app.save_screenshot = save_with_plots
    pdf = sorted((demo_workspace_dir() / "pdfs").glob("*.pdf"))[0]
    args = ["--db", db, "gui", "--screenshot", str(png), "--pdf", str(pdf)]
    try:
        cli.main(args=args, prog_name="synthesis-reviewer", standalone_mode=False)
    except SystemExit as exc:  # run_gui's exit status comes back through sys.exit
        check.report(exc.code in (0, None), f"gui --screenshot exit status {exc.code}")
    finally:
        ui_app.save_screenshot = original
    check.report(bool(plots_checked), "scoring dock shown and plots checked")
    size = png.stat().st_size if png.exists() else 0
    check.report(size > 10_000, f"screenshot {png} ({size} bytes)")


def main(args: list[str]) -> int:
    if len(args) != 2:
        print("usage: synthesis-reviewer --self-check DB PNG", file=sys.stderr)
        return 2
    db, png = args[0], Path(args[1]).resolve()
    check = SelfCheck()
    print(f"self-check: frozen={hasattr(sys, '_MEIPASS')} bundle={bundle_root()}", flush=True)
    check_resources(check)
    check_sentence_model(check)
    check_migrations(check, db)
    check_gui(check, db, png)
    print(f"self-check: {check.failures} failed", flush=True)
    return 1 if check.failures else 0
