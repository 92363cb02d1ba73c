"""``QtEcgView``: the widget showing the ECG page at true size (or fitted to the window).

Scene coordinates are paper millimetres with y downward. The view applies a
:class:`~ecgviewer.controllers.viewer.ViewerState`: when the page changed it rebuilds the page
item, otherwise it only moves the camera. Pixels per millimetre come from the screen's
physical DPI (true size) or from the window size (fit), and are re-applied on every resize,
so resizing the window never silently changes the paper scale.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from ecgviewer.controllers.layout import PageLayout
from ecgviewer.controllers.paper import fit_pixels_per_mm, screen_pixels_per_mm
from ecgviewer.controllers.viewer import ViewerState, describe_scale, view_rect_mm
from ecgviewer.ui.qt_ecg_page import QtEcgPage

DESK_COLOUR = QColor(222, 222, 222)
#: Millimetres scrolled per wheel notch.
_WHEEL_STEP_MM = 10.0


class _PaperViewBox(pg.ViewBox):
    """A ViewBox that pans (drag, wheel) but never zooms, so the paper scale stays exact."""

    def wheelEvent(self, ev: object, axis: int | None = None) -> None:
        delta = ev.delta()  # type: ignore[attr-defined]
        self.translateBy(y=-delta / 120 * _WHEEL_STEP_MM)
        ev.accept()  # type: ignore[attr-defined]

    def mouseDragEvent(self, ev: object, axis: int | None = None) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            super().mouseDragEvent(ev, axis)
        else:
            ev.ignore()  # type: ignore[attr-defined]


class QtEcgView(pg.GraphicsView):
    """Shows one page; :meth:`set_state` is the only way to change what it shows."""

    #: Emitted after the scale changed: pixels per mm, and a status line describing it.
    scaleChanged = Signal(float, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=DESK_COLOUR)
        self._vb = _PaperViewBox(invertY=True, enableMenu=False)
        self._vb.disableAutoRange()
        self.setCentralItem(self._vb)
        self._page = QtEcgPage()
        self._vb.addItem(self._page)
        self._state = ViewerState()
        self._layout: PageLayout = self._state.layout()
        self._page.set_page(None, self._layout, self._state.paper)
        self._px_per_mm = 0.0
        self._recentre = True
        self._watched_window: object = None
        # Drops go to the main window, which knows how to open files.
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self._vb.sigResized.connect(self._on_resized)

    # -- state ------------------------------------------------------------------------------
    @property
    def state(self) -> ViewerState:
        return self._state

    @property
    def page_layout(self) -> PageLayout:
        """The layout of the page on screen."""
        return self._layout

    @property
    def page(self) -> QtEcgPage:
        return self._page

    @property
    def view_box(self) -> pg.ViewBox:
        return self._vb

    @property
    def px_per_mm(self) -> float:
        """Screen pixels per paper millimetre currently applied (0 before the first layout)."""
        return self._px_per_mm

    def set_state(self, state: ViewerState) -> None:
        """Show ``state``, rebuilding the page only if the record, paper or window changed."""
        old, self._state = self._state, state
        if state.page_changed(old):
            self._layout = state.layout()
            self._page.set_page(state.record, self._layout, state.paper)
            self._recentre = True
        if self._recentre or state.scale_mode != old.scale_mode:
            self._recentre = True
            self.apply_scale()

    # -- scale ------------------------------------------------------------------------------
    def _screen(self) -> QScreen | None:
        return self.screen() or QGuiApplication.primaryScreen()

    def true_px_per_mm(self) -> tuple[float, bool]:
        """Pixels per mm for true size on this widget's screen, and whether that is reliable."""
        screen = self._screen()
        if screen is None:
            return screen_pixels_per_mm(float("nan"))
        return screen_pixels_per_mm(screen.physicalDotsPerInch(), screen.logicalDotsPerInch())

    def apply_scale(self) -> None:
        """Set the visible rectangle for the current scale mode and widget size."""
        size = self._vb.size()
        w_px, h_px = size.width(), size.height()
        if w_px < 2 or h_px < 2:
            return  # not laid out yet; the first resize comes back here
        page_w, page_h = self._layout.width_mm, self._layout.height_mm
        true_ppm, known = self.true_px_per_mm()
        if self._state.scale_mode == "fit":
            ppm = fit_pixels_per_mm(page_w, page_h, w_px, h_px)
        else:
            ppm = true_ppm
        keep = None
        if not self._recentre:
            current = self._vb.viewRect()
            keep = (current.left(), current.top())
        x, y, w, h = view_rect_mm(page_w, page_h, w_px, h_px, ppm, keep)
        self._vb.setRange(QRectF(x, y, w, h), padding=0.0)
        self._recentre = False
        self._px_per_mm = ppm
        fits = page_w * ppm <= w_px and page_h * ppm <= h_px
        self.scaleChanged.emit(
            ppm, describe_scale(self._state.scale_mode, ppm, true_ppm, known, fits)
        )

    def _on_resized(self) -> None:
        self.apply_scale()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        handle = self.window().windowHandle()
        if handle is not None and handle is not self._watched_window:
            # Moving the window to another monitor changes the physical DPI.
            handle.screenChanged.connect(self._on_screen_changed)
            self._watched_window = handle

    def _on_screen_changed(self, _screen: QScreen) -> None:
        self.apply_scale()
