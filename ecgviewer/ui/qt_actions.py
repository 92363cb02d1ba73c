"""``QtViewerActions``: the menus and keyboard shortcuts of the viewer.

Almost every action is a pure state transition (``lambda s: s.with_layout("6x2")``) handed to
the window's ``update_state``; :meth:`QtViewerActions.sync` ticks the menus from a state. Actions
fire on ``triggered`` (user actions only), so ticking them from a state never loops back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ecgviewer.controllers.display_filters import LOWPASS_CHOICES_HZ, NOTCH_CHOICES_HZ
from ecgviewer.controllers.layout import LAYOUT_KINDS, LAYOUT_TITLES, standard_order
from ecgviewer.controllers.paper import GAINS_MM_PER_MV, SPEEDS_MM_PER_S
from ecgviewer.controllers.viewer import ViewerState
from ecgviewer.io.record import STANDARD_LEADS

Transition = Callable[[ViewerState], ViewerState]
LIMB_LEADS = STANDARD_LEADS[:6]
CHEST_LEADS = STANDARD_LEADS[6:]


class ViewerWindow(Protocol):
    """What the actions need from the window."""

    @property
    def state(self) -> ViewerState: ...
    def update_state(self, transition: Transition) -> None: ...
    def choose_file(self) -> None: ...
    def open_worklist(self) -> object: ...
    def go_to_time_dialog(self) -> None: ...
    def calibrate_screen(self) -> None: ...
    def export_pdf(self) -> None: ...


def _cycle(options: tuple[float | None, ...], current: float | None) -> float | None:
    return options[(options.index(current) + 1) % len(options)] if current in options else None


def _with_group_gain(leads: tuple[str, ...], gain: float | None) -> Transition:
    def transition(state: ViewerState) -> ViewerState:
        for lead in leads:
            state = state.with_lead_gain(lead, gain)
        return state

    return transition


class QtViewerActions(QObject):
    """Builds the menu bar of ``window`` and keeps its check marks in step with the state."""

    def __init__(self, window: QMainWindow, viewer: ViewerWindow, recent: QMenu) -> None:
        super().__init__(window)
        self._window = window
        self._viewer = viewer
        self._checks: list[tuple[QAction, Callable[[ViewerState], bool]]] = []
        self.by_name: dict[str, QAction] = {}
        bar = window.menuBar()
        self._file_menu(bar.addMenu("&File"), recent)
        self._view_menu(bar.addMenu("&View"))
        self._filter_menu(bar.addMenu("F&ilters"))
        self._navigate_menu(bar.addMenu("&Navigate"))
        self._measure_menu(bar.addMenu("&Measure"))
        self._rhythm_leads: tuple[str, ...] = ()

    # -- helpers -------------------------------------------------------------------------------
    def _add_toggle(self, menu: QMenu, name: str, text: str, field: str, shortcut: str) -> QAction:
        """A checkable action flipping one boolean field of the viewer state."""
        return self._add(
            menu,
            name,
            text,
            lambda s: replace(s, **{field: not getattr(s, field)}),
            shortcut=shortcut,
            checked=lambda s: bool(getattr(s, field)),
        )

    def _add(
        self,
        menu: QMenu,
        name: str,
        text: str,
        transition: Transition | None = None,
        *,
        shortcut: str | QKeySequence.StandardKey | list[str] | None = None,
        checked: Callable[[ViewerState], bool] | None = None,
        group: QActionGroup | None = None,
        command: Callable[[], None] | None = None,
    ) -> QAction:
        action = QAction(text, self._window)
        if isinstance(shortcut, list):
            action.setShortcuts([QKeySequence(s) for s in shortcut])
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if checked is not None:
            action.setCheckable(True)
            self._checks.append((action, checked))
        if group is not None:
            group.addAction(action)
        if transition is not None:
            action.triggered.connect(lambda _=False, t=transition: self._viewer.update_state(t))
        elif command is not None:
            action.triggered.connect(lambda _=False, c=command: c())
        menu.addAction(action)
        self._window.addAction(action)  # shortcuts work while the menu bar is hidden too
        self.by_name[name] = action
        return action

    def sync(self, state: ViewerState) -> None:
        """Tick the menus from ``state`` (and list the record's leads as rhythm choices)."""
        for action, is_checked in self._checks:
            action.setChecked(is_checked(state))
        leads = standard_order(state.record.lead_names) if state.record else STANDARD_LEADS
        if leads != self._rhythm_leads:
            self._rhythm_leads = leads
            self._fill_rhythm_menu(leads)
        for action in self._rhythm_menu.actions():
            action.setChecked(action.text() == state.rhythm_leads[0])

    # -- menus ---------------------------------------------------------------------------------
    def _file_menu(self, menu: QMenu, recent: QMenu) -> None:
        v = self._viewer
        self._add(
            menu, "open", "&Open…", shortcut=QKeySequence.StandardKey.Open, command=v.choose_file
        )
        self._add(menu, "worklist", "Open Folder as &Worklist…", command=v.open_worklist)
        menu.addMenu(recent)
        self._add(
            menu, "export_pdf", "&Export PDF…", shortcut=["Ctrl+E", "Ctrl+P"], command=v.export_pdf
        )
        menu.addSeparator()
        self._add(menu, "quit", "&Quit", shortcut="Ctrl+Q", command=self._window.close)

    def _view_menu(self, menu: QMenu) -> None:
        layouts = menu.addMenu("&Layout")
        group = QActionGroup(self)
        for i, kind in enumerate(LAYOUT_KINDS, start=1):
            self._add(
                layouts,
                f"layout_{kind}",
                LAYOUT_TITLES[kind],
                lambda s, k=kind: s.with_layout(k),
                shortcut=f"Ctrl+{i}",
                checked=lambda s, k=kind: s.layout_kind == k,
                group=group,
            )
        layouts.addSeparator()
        self._add(layouts, "layout_next", "&Next Layout", lambda s: s.next_layout(), shortcut="L")
        self._rhythm_menu = menu.addMenu("&Rhythm Lead")
        speeds = menu.addMenu("&Speed")
        group = QActionGroup(self)
        for speed in SPEEDS_MM_PER_S:
            self._add(
                speeds,
                f"speed_{speed:g}",
                f"{speed:g} mm/s",
                lambda s, v=speed: s.with_speed(v),
                checked=lambda s, v=speed: s.paper.speed_mm_per_s == v,
                group=group,
            )
        gains = menu.addMenu("&Gain")
        group = QActionGroup(self)
        for gain in GAINS_MM_PER_MV:
            self._add(
                gains,
                f"gain_{gain:g}",
                f"{gain:g} mm/mV",
                lambda s, g=gain: s.with_gain(g),
                checked=lambda s, g=gain: s.paper.gain_mm_per_mv == g,
                group=group,
            )
        gains.addSeparator()
        self._add(
            gains, "gain_up", "Increase Gain", lambda s: _step_gain(s, +1), shortcut="Ctrl+Up"
        )
        self._add(
            gains, "gain_down", "Decrease Gain", lambda s: _step_gain(s, -1), shortcut="Ctrl+Down"
        )
        for title, leads in (("&Limb Leads", LIMB_LEADS), ("&Chest Leads", CHEST_LEADS)):
            sub = gains.addMenu(title)
            self._add(sub, f"{title}_page", "Page Gain", _with_group_gain(leads, None))
            for gain in GAINS_MM_PER_MV:
                self._add(
                    sub, f"{title}_{gain:g}", f"{gain:g} mm/mV", _with_group_gain(leads, gain)
                )
        self._add(gains, "gain_reset", "Reset Per-Lead Gains", lambda s: replace(s, lead_gains=()))
        menu.addSeparator()
        for name, text, key in (
            ("beats", "&Beat Labels", "A"),
            ("waves", "&Wave Marks (P, QRS, T)", "W"),
            ("fiducials", "&Measured Fiducials (P on/off, QRS on/off, T off)", "M"),
            ("heatmap", "Restoration &Heat Map (anomaly model)", "H"),
            ("restored", "&Restored Trace (anomaly model's expected normal ECG)", "R"),
        ):
            self._add_toggle(menu, name, text, f"show_{name}", key)
        menu.addSeparator()
        self._add(
            menu,
            "fit",
            "&Fit Page to Window",
            lambda s: replace(s, scale_mode="true" if s.scale_mode == "fit" else "fit"),
            shortcut="Ctrl+0",
            checked=lambda s: s.scale_mode == "fit",
        )
        self._add(menu, "calibrate", "&Calibrate Screen…", command=self._viewer.calibrate_screen)
        self.view_menu = menu

    def _filter_menu(self, menu: QMenu) -> None:
        self._add(
            menu,
            "baseline",
            "&Baseline Wander (0.5 Hz)",
            lambda s: s.with_filters(replace(s.filters, baseline=not s.filters.baseline)),
            shortcut="B",
            checked=lambda s: s.filters.baseline,
        )
        menu.addSeparator()
        notches: tuple[float | None, ...] = (None, *NOTCH_CHOICES_HZ)
        self._choice_group(menu, "notch", notches, "Notch off", "{:g} Hz Notch", "N")
        menu.addSeparator()
        lowpasses: tuple[float | None, ...] = (None, *LOWPASS_CHOICES_HZ)
        self._choice_group(menu, "lowpass", lowpasses, "Low-Pass off", "{:g} Hz Low-Pass", "F")

    def _choice_group(
        self,
        menu: QMenu,
        field: str,
        options: tuple[float | None, ...],
        off: str,
        fmt: str,
        key: str,
    ) -> None:
        attr = f"{field}_hz"
        group = QActionGroup(self)
        for value in options:
            self._add(
                menu,
                f"{field}_{value or 'off'}",
                off if value is None else fmt.format(value),
                lambda s, v=value: s.with_filters(replace(s.filters, **{attr: v})),
                checked=lambda s, v=value: getattr(s.filters, attr) == v,
                group=group,
            )
        self._add(
            menu,
            f"{field}_cycle",
            f"Next {off.split()[0]} Setting",
            lambda s: s.with_filters(
                replace(s.filters, **{attr: _cycle(options, getattr(s.filters, attr))})
            ),
            shortcut=key,
        )

    def _navigate_menu(self, menu: QMenu) -> None:
        add = self._add
        add(menu, "back", "&Back", lambda s: s.stepped(-1), shortcut="Left")
        add(menu, "forward", "&Forward", lambda s: s.stepped(+1), shortcut="Right")
        add(menu, "page_back", "&Previous Page", lambda s: s.paged(-1), shortcut="PgUp")
        add(menu, "page_forward", "&Next Page", lambda s: s.paged(+1), shortcut="PgDown")
        add(menu, "home", "&Start of Recording", lambda s: s.scrolled_to(0.0), shortcut="Home")
        add(menu, "end", "&End of Recording", lambda s: s.scrolled_to(float("inf")), shortcut="End")
        add(menu, "goto", "&Go to Time…", shortcut="Ctrl+G", command=self._viewer.go_to_time_dialog)
        add(menu, "next_ectopic", "Next &Ectopic Beat", lambda s: s.jumped_to_ectopic(True),
            shortcut="E")  # fmt: skip
        add(menu, "previous_ectopic", "Pre&vious Ectopic Beat",
            lambda s: s.jumped_to_ectopic(False), shortcut="Shift+E")  # fmt: skip
        menu.addSeparator()
        add(
            menu,
            "zoom_in",
            "Zoom &In (faster paper)",
            lambda s: s.zoomed(+1),
            shortcut=["Ctrl+=", "Ctrl++"],
        )
        add(menu, "zoom_out", "Zoom &Out (slower paper)", lambda s: s.zoomed(-1), shortcut="Ctrl+-")

    def _measure_menu(self, menu: QMenu) -> None:
        self._add(
            menu,
            "caliper_mode",
            "&Caliper Mode (drag to measure; Shift+drag always)",
            lambda s: replace(s, caliper_mode=not s.caliper_mode),
            shortcut="C",
            checked=lambda s: s.caliper_mode,
        )
        self._add(
            menu,
            "caliper_undo",
            "&Remove Last Caliper",
            lambda s: replace(s, calipers=s.calipers[:-1]),
            shortcut="Backspace",
        )
        self._add(
            menu, "caliper_clear", "C&lear Calipers", lambda s: s.without_calipers(), shortcut="Esc"
        )

    def _fill_rhythm_menu(self, leads: tuple[str, ...]) -> None:
        self._rhythm_menu.clear()
        group = QActionGroup(self._rhythm_menu)
        for lead in leads:
            action = self._rhythm_menu.addAction(lead)
            action.setCheckable(True)
            group.addAction(action)
            action.triggered.connect(
                lambda _=False, name=lead: self._viewer.update_state(
                    lambda s: s.with_rhythm_lead(name)
                )
            )

    # -- per-lead menu ---------------------------------------------------------------------------
    def lead_menu(self, lead: str) -> QMenu:
        """The right-click menu of one lead: its own gain, or the page gain."""
        menu = QMenu(f"Lead {lead}", self._window)
        state = self._viewer.state
        current = dict(state.lead_gains).get(lead)
        title = menu.addAction(f"Gain of lead {lead}")
        title.setEnabled(False)
        for gain in (None, *GAINS_MM_PER_MV):
            text = (
                f"Page gain ({state.paper.gain_mm_per_mv:g} mm/mV)"
                if gain is None
                else f"{gain:g} mm/mV"
            )
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(current == gain)
            action.triggered.connect(
                lambda _=False, g=gain: self._viewer.update_state(
                    lambda s: s.with_lead_gain(lead, g)
                )
            )
        if state.layout_kind in ("3x4+1", "1x1"):
            action = menu.addAction(f"Use {lead} as Rhythm Lead")
            action.triggered.connect(
                lambda _=False: self._viewer.update_state(lambda s: s.with_rhythm_lead(lead))
            )
        return menu

    def show_lead_menu(self, lead: str, at: QPoint) -> None:
        menu = self.lead_menu(lead)
        menu.exec(at)
        menu.deleteLater()


def _step_gain(state: ViewerState, steps: int) -> ViewerState:
    gains = GAINS_MM_PER_MV
    current = state.paper.gain_mm_per_mv
    i = min(range(len(gains)), key=lambda k: abs(gains[k] - current))
    return state.with_gain(gains[min(len(gains) - 1, max(0, i + steps))])
