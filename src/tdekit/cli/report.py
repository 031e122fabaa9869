"""``tde render plan`` and ``tde status``."""
