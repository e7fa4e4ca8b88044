"""Models of the Webinar app."""
