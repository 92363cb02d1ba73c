"""``run``: start the viewer (the ``ecgviewer`` command ends up here)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import ecgviewer
from ecgviewer.ui.qt_main_window import QtMainWindow


def demo_record_path() -> Path:
    """The bundled demo record (``resources/demo/demo.hea`` beside the package)."""
    return Path(ecgviewer.__file__).resolve().parent.parent / "resources" / "demo" / "demo.hea"


def create_window(path: str | None = None) -> QtMainWindow:
    """A shown main window with ``path`` open, or the demo record when ``path`` is None.

    A missing demo leaves the window empty with a note in the status bar; a bad ``path``
    shows the reader's message and leaves the window empty.
    """
    window = QtMainWindow()
    window.resize(1500, 850)
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


def run(path: str | None = None) -> int:
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
    window = create_window(path)
    # The window is deleted when closed, so nothing of it outlives the event loop.
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return int(app.exec())
