"""One module per screen; each is a thin view over one presenter."""
