"""``tde score`` and ``tde select``."""
