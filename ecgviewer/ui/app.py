"""``run``: start the viewer (the ``ecgviewer`` command ends up here)."""

from __future__ import annotations

import sys
import threading
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import ecgviewer
from ecgviewer.controllers.layout import LayoutKind
from ecgviewer.ui.qt_main_window import QtMainWindow


def demo_record_path() -> Path:
    """The bundled demo record (``resources/demo/demo.hea`` beside the package)."""
    return Path(ecgviewer.__file__).resolve().parent.parent / "resources" / "demo" / "demo.hea"


def warm_up_imports() -> None:
    """Import what the first record needs but start-up does not: wfdb (with pandas) for the
    reader and scipy.signal for the display filters, most of a second together.

    ``run`` calls this from a background thread while the window appears, so the first page
    does not pay for it (an import already under way in that thread is waited for, not redone).
    """
    import wfdb  # noqa: F401

    import ecgviewer.dsp.filters  # noqa: F401


def create_window(path: str | None = None, layout: LayoutKind | None = None) -> QtMainWindow:
    """A shown main window with ``path`` open, or the demo record when ``path`` is None.

    ``layout`` overrides the remembered page format. A missing demo leaves the window empty with
    a note in the status bar; a bad ``path`` shows the reader's message and leaves it empty.
    """
    window = QtMainWindow()
    if not window.restore_window():
        # First run: most of the screen, so a true-size 12-lead page fits without panning.
        screen = window.screen().availableGeometry()
        window.resize(round(screen.width() * 0.95), round(screen.height() * 0.95))
    if layout is not None:
        window.set_state(replace(window.state, layout_kind=layout))
    window.show()
    if path:
        window.open_path(path)
    else:
        demo = demo_record_path()
        if demo.is_file():
            window.open_path(str(demo), remember=False)
        else:
            window.show_status(
                f"The demo recording is missing ({demo}); open a file with File → Open (Ctrl+O)."
            )
    return window


def run(path: str | None = None, layout: LayoutKind | None = None) -> int:
    """Open ``path`` (or the bundled demo) in a new window and run the event loop.

    Returns
    -------
    int
        The application's exit code (0 after a normal close).
    """
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1] or ["ecgviewer"])
    app.setOrganizationName("ecgviewer")
    app.setApplicationName("ecgviewer")
    threading.Thread(target=warm_up_imports, name="warm-up", daemon=True).start()
    window = create_window(path, layout)
    # The window is deleted when closed, so nothing of it outlives the event loop.
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return int(app.exec())
