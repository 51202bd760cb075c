"""Reusable widgets: the mentee form, the search box, the picker, the welcome panel..."""
