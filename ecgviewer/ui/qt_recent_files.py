"""``QtRecentFilesMenu``: File → Open Recent, persisted in QSettings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QMenu, QWidget

from ecgviewer.controllers.recent_files import add_recent

SETTINGS_KEY = "recent_files"


class QtRecentFilesMenu(QMenu):
    """The recent-files submenu; emits :attr:`pathChosen` when the user picks one."""

    pathChosen = Signal(str)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__("Open &Recent", parent)
        self._settings = settings
        self._rebuild()

    def paths(self) -> tuple[str, ...]:
        value = self._settings.value(SETTINGS_KEY, [], type=list)
        return tuple(str(p) for p in value or [])

    def add(self, path: str) -> None:
        """Put ``path`` at the top of the list and save it."""
        self._settings.setValue(SETTINGS_KEY, list(add_recent(self.paths(), path)))
        self._settings.sync()
        self._rebuild()

    def clear_list(self) -> None:
        self._settings.setValue(SETTINGS_KEY, [])
        self._settings.sync()
        self._rebuild()

    def _rebuild(self) -> None:
        self.clear()
        paths = self.paths()
        for number, path in enumerate(paths, start=1):
            p = Path(path)
            action = self.addAction(f"&{number % 10}  {p.name}   ({p.parent})")
            action.setToolTip(path)
            action.setEnabled(p.exists())
            action.triggered.connect(lambda _checked=False, path=path: self.pathChosen.emit(path))
        if paths:
            self.addSeparator()
        clear = self.addAction("Clear list")
        clear.setEnabled(bool(paths))
        clear.triggered.connect(self.clear_list)
        self.setEnabled(True)
