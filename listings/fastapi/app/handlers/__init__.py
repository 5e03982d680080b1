"""Step handlers for the two workflows; the templates name them by class path."""
