"""Remembered settings: the viewer's choices and the window's geometry in QSettings.

The text conversion (and its tolerance of bad values) is
:mod:`ecgviewer.controllers.settings`; this module only moves the values in and out of
QSettings, always the ``settings`` object the window was given (tests pass a temporary file).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from ecgviewer.controllers.settings import state_from_settings, state_to_settings
from ecgviewer.controllers.viewer import ViewerState

GROUP = "viewer"


def load_state(settings: QSettings, base: ViewerState) -> ViewerState:
    """``base`` with the remembered display choices applied."""
    settings.beginGroup(GROUP)
    try:
        values = {key: settings.value(key) for key in settings.childKeys()}
    finally:
        settings.endGroup()
    return state_from_settings(values, base)


def save_state(
    settings: QSettings, state: ViewerState, last: dict[str, str] | None = None
) -> dict[str, str]:
    """Store the display choices of ``state``; nothing is written when they equal ``last``.

    Returns what is stored, to pass as ``last`` next time (scrolling changes the state on
    every frame but none of these choices).
    """
    values = state_to_settings(state)
    if values == last:
        return values
    settings.beginGroup(GROUP)
    try:
        for key, value in values.items():
            settings.setValue(key, value)
    finally:
        settings.endGroup()
    return values


def save_window(settings: QSettings, window: QMainWindow) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())


def restore_window(settings: QSettings, window: QMainWindow) -> bool:
    """Restore size, position and docks; ``False`` when nothing was saved yet."""
    geometry = settings.value("window/geometry")
    if not isinstance(geometry, QByteArray | bytes) or not window.restoreGeometry(geometry):
        return False
    dock_state = settings.value("window/state")
    if isinstance(dock_state, QByteArray | bytes):
        window.restoreState(dock_state)
    return True
