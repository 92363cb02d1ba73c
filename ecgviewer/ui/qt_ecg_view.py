"""``QtEcgView``: the widget showing the ECG page at true size (or fitted to the window).

Scene coordinates are paper millimetres with y downward. :meth:`QtEcgView.set_state` compares
the new :class:`~ecgviewer.controllers.viewer.ViewerState` with the old one: a change to what is
on the page builds a new :class:`~ecgviewer.controllers.page.Page` (the page item then diffs it),
a caliper change redraws only the calipers, a scale change only moves the camera. Pixels per
millimetre come from the screen's physical DPI times the user's calibration factor (true size)
or from the window size (fit), re-applied on every resize so the paper scale never drifts.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from ecgviewer.controllers.calipers import caliper_from_drag, caliper_shape
from ecgviewer.controllers.layout import PageLayout
from ecgviewer.controllers.page import Page, PageBuilder
from ecgviewer.controllers.paper import fit_pixels_per_mm, screen_pixels_per_mm
from ecgviewer.controllers.traces import DEFAULT_PX_PER_MM
from ecgviewer.controllers.viewer import ViewerState, describe_scale, view_rect_mm
from ecgviewer.ui.qt_ecg_page import QtEcgPage

DESK_COLOUR = QColor(222, 222, 222)
#: Millimetres scrolled per wheel notch.
_WHEEL_STEP_MM = 10.0
#: Traces are decimated again when the scale changes by more than this fraction.
_REDECIMATE_FRACTION = 0.05


class _PaperViewBox(pg.ViewBox):
    """Pans (drag, wheel) but never zooms, so the paper scale stays exact; Shift+drag (or any
    drag in caliper mode) reports a caliper instead, and a right click asks for the lead menu."""

    caliperDrag = Signal(QPointF, QPointF, bool, bool)
    contextRequested = Signal(QPointF, QPoint)

    def __init__(self) -> None:
        super().__init__(invertY=True, enableMenu=False)
        self.caliper_mode = False
        self._measuring = False

    def wheelEvent(self, ev: object, axis: int | None = None) -> None:
        delta = ev.delta()  # type: ignore[attr-defined]
        self.translateBy(y=-delta / 120 * _WHEEL_STEP_MM)
        ev.accept()  # type: ignore[attr-defined]

    def mouseDragEvent(self, ev: object, axis: int | None = None) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            ev.ignore()  # type: ignore[attr-defined]
            return
        if ev.isStart():  # type: ignore[attr-defined]
            shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)  # type: ignore[attr-defined]
            self._measuring = self.caliper_mode or shift
        if not self._measuring:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()  # type: ignore[attr-defined]
        start = self.mapSceneToView(ev.buttonDownScenePos())  # type: ignore[attr-defined]
        end = self.mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
        self.caliperDrag.emit(start, end, ev.isStart(), ev.isFinish())  # type: ignore[attr-defined]

    def mouseClickEvent(self, ev: object) -> None:
        if ev.button() == Qt.MouseButton.RightButton:  # type: ignore[attr-defined]
            ev.accept()  # type: ignore[attr-defined]
            at = self.mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
            self.contextRequested.emit(at, ev.screenPos().toPoint())  # type: ignore[attr-defined]
        else:
            ev.ignore()  # type: ignore[attr-defined]


class QtEcgView(pg.GraphicsView):
    """Shows one page; :meth:`set_state` is the only way to change what it shows."""

    #: Emitted after the scale changed: pixels per mm, and a status line describing it.
    scaleChanged = Signal(float, str)
    #: A caliper being dragged: the Caliper, whether the drag just started, whether it ended.
    caliperDragged = Signal(object, bool, bool)
    #: Right click on a lead: its name and the global position for a menu.
    leadMenuRequested = Signal(str, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=DESK_COLOUR)
        self._vb = _PaperViewBox()
        self._vb.disableAutoRange()
        self.setCentralItem(self._vb)
        self._page = QtEcgPage()
        self._vb.addItem(self._page)
        self._builder = PageBuilder()
        self._state = ViewerState()
        self._layout: PageLayout = self._state.layout()
        self._shown: Page = self._builder.build(self._state, DEFAULT_PX_PER_MM, self._layout)
        self._page.set_page(self._shown, self._state.paper)
        self._px_per_mm = 0.0
        self._built_px_per_mm = DEFAULT_PX_PER_MM
        self._recentre = True
        self._watched_window: object = None
        # Drops go to the main window, which knows how to open files.
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._vb.sigResized.connect(self._on_resized)
        self._vb.caliperDrag.connect(self._on_caliper_drag)
        self._vb.contextRequested.connect(self._on_context)

    # -- state ---------------------------------------------------------------------------------
    @property
    def state(self) -> ViewerState:
        return self._state

    @property
    def page_layout(self) -> PageLayout:
        """The layout of the page on screen."""
        return self._layout

    @property
    def shown_page(self) -> Page:
        """The computed page currently drawn."""
        return self._shown

    @property
    def page(self) -> QtEcgPage:
        return self._page

    @property
    def builder(self) -> PageBuilder:
        return self._builder

    @property
    def view_box(self) -> pg.ViewBox:
        return self._vb

    @property
    def px_per_mm(self) -> float:
        """Screen pixels per paper millimetre currently applied (0 before the first layout)."""
        return self._px_per_mm

    def set_state(self, state: ViewerState) -> None:
        """Show ``state``, touching only what changed since the last one."""
        old, self._state = self._state, state
        self._vb.caliper_mode = state.caliper_mode
        rebuilt = state.page_changed(old)
        if rebuilt:
            layout = state.layout()
            size = (layout.width_mm, layout.height_mm)
            if size != (self._layout.width_mm, self._layout.height_mm):
                self._recentre = True
            self._layout = layout
            self._rebuild()
        if rebuilt or state.calipers != old.calipers:
            self._draw_calipers()
        if self._recentre or (state.scale_mode, state.screen_factor) != (
            old.scale_mode,
            old.screen_factor,
        ):
            self._recentre = True
            self.apply_scale()

    def _rebuild(self) -> None:
        ppm = self._px_per_mm or DEFAULT_PX_PER_MM
        self._shown = self._builder.build(self._state, ppm, self._layout)
        self._built_px_per_mm = ppm
        self._page.set_page(self._shown, self._state.paper)

    def _draw_calipers(self) -> None:
        shapes = [caliper_shape(c, self._layout, self._state.start_s) for c in self._state.calipers]
        self._page.set_calipers([s for s in shapes if s is not None])

    # -- scale ---------------------------------------------------------------------------------
    def _screen(self) -> QScreen | None:
        return self.screen() or QGuiApplication.primaryScreen()

    def true_px_per_mm(self) -> tuple[float, bool]:
        """Pixels per mm the screen reports for true size, and whether that is reliable."""
        screen = self._screen()
        if screen is None:
            return screen_pixels_per_mm(float("nan"))
        return screen_pixels_per_mm(screen.physicalDotsPerInch(), screen.logicalDotsPerInch())

    def calibrated_px_per_mm(self) -> float:
        """True-size pixels per mm with the user's screen calibration applied."""
        return self.true_px_per_mm()[0] * self._state.screen_factor

    def apply_scale(self) -> None:
        """Set the visible rectangle for the current scale mode and widget size."""
        size = self._vb.size()
        w_px, h_px = size.width(), size.height()
        if w_px < 2 or h_px < 2:
            return  # not laid out yet; the first resize comes back here
        page_w, page_h = self._layout.width_mm, self._layout.height_mm
        reported, known = self.true_px_per_mm()
        true_ppm = reported * self._state.screen_factor
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
        if abs(ppm - self._built_px_per_mm) > _REDECIMATE_FRACTION * self._built_px_per_mm:
            self._rebuild()  # decimation follows the pixel columns actually on screen
        fits = page_w * ppm <= w_px and page_h * ppm <= h_px
        calibrated = self._state.screen_factor != 1.0
        text = describe_scale(self._state.scale_mode, ppm, true_ppm, known, fits, calibrated)
        self.scaleChanged.emit(ppm, text)

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

    # -- mouse ---------------------------------------------------------------------------------
    def _on_caliper_drag(self, start: QPointF, end: QPointF, started: bool, finished: bool) -> None:
        caliper = caliper_from_drag(
            self._layout, self._state.start_s, (start.x(), start.y()), (end.x(), end.y())
        )
        if caliper is not None:
            self.caliperDragged.emit(caliper, started, finished)

    def _on_context(self, at: QPointF, screen_pos: QPoint) -> None:
        panel = self._layout.panel_at(at.x(), at.y())
        if panel is not None:
            self.leadMenuRequested.emit(panel.lead, screen_pos)
