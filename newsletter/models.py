"""Models of the Newsletter app."""
