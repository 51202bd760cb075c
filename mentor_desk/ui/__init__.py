"""The Mentor Desk window (PySide6). The only layer that imports Qt."""
