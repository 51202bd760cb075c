"""Mentor Desk: private, offline notes for mentors and Lead Mentorship Program sponsors."""

__version__ = "0.1.0"
APP_NAME = "Mentor Desk"
APP_ID = "mentor-desk"
