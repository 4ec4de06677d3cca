"""Serving the quiz: `assess serve`, the kernel cap, the page template and the Voilà settings."""
