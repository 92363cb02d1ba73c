"""ecgviewer: a clinician-facing 12-lead ECG viewer.

Heavy libraries (Qt, torch, reportlab) are imported lazily by the layers that need them, so
``import ecgviewer`` stays cheap.
"""

__version__ = "0.2.0"
