"""The per-workspace pattern index: SQLite through sqlite-utils, refreshed by content hash."""
