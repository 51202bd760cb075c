"""The first thing a new user sees: what Mentor Desk is, and two ways to begin."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mentor_desk import APP_NAME
from mentor_desk.ui.style import centre, heading, named

INTRO = (
    "Keep private notes on your mentoring: mentees, one-on-ones, goals and skills, and the "
    "evidence of Lead Mentorship Program candidates. Mentor Desk tells you when a session is due "
    "or a mentorship has stalled."
)


class WelcomePanel(QWidget):
    """Shown instead of the tabs while the program is empty.

    Signals:
        add_first_mentee(): "Add your first mentee" was chosen.
        load_demo(): "Load the demo program" was chosen.
        skip(): the user wants the empty tabs.
    """

    add_first_mentee = Signal()
    load_demo = Signal()
    skip = Signal()

    def __init__(self, data_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "Welcome")
        title = heading(f"Welcome to {APP_NAME}", scale=1.8)
        intro = named(QLabel(INTRO), "About Mentor Desk")
        privacy = named(
            QLabel(
                "Everything stays on this computer, in one database in your data folder:\n"
                f"{data_folder}"
            ),
            "Where your data is kept",
        )
        privacy.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.add_button = named(QPushButton("Add your first mentee"), "Add your first mentee")
        self.demo_button = named(
            QPushButton("Load the demo program"),
            "Load the demo program",
            "A fictional year of mentoring, to try everything out; you can delete it later",
        )
        self.skip_button = named(QPushButton("Start with an empty program"), "Start empty")
        self.skip_button.setFlat(True)
        self.status = named(QLabel(), "Welcome status")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_first_mentee)
        self.demo_button.clicked.connect(self.load_demo)
        self.skip_button.clicked.connect(self.skip)
        for label in (intro, privacy, self.status):
            label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        for widget in (title, intro, privacy):
            column.addWidget(widget)
            column.addSpacing(6)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addWidget(self.skip_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.status)
        centre(column, self, width=640)

    def set_busy(self, busy: bool, message: str = "") -> None:
        """Disable the choices while the demo loads, and say what is happening."""
        for button in (self.add_button, self.demo_button, self.skip_button):
            button.setEnabled(not busy)
        self.status.setText(message)
