"""The Qt binding does not leak references to None (PySide6 6.12.0 did, and Python before 3.12
aborts with "none_dealloc" once None's count reaches zero: a long session would crash)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QLabel

pytestmark = pytest.mark.gui


def test_calls_returning_nothing_keep_none_alive(qapp: QApplication) -> None:
    label = QLabel()
    for _ in range(50):  # warm up any caches that keep a None of their own
        label.setText("x")
        qapp.processEvents()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        qapp.processEvents()
    # A leak loses one reference per call (6.12.0: about 3 per loop); allow a little noise from
    # objects other code creates meanwhile.
    assert sys.getrefcount(None) - before > -200
