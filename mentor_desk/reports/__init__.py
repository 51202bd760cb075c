"""PDF reports and charts, built with ReportLab from plain data (no Qt, no database access)."""
