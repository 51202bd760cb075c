"""Dialogs and the questions the window asks."""
