"""Models of the Forum app."""
