"""``tde validate`` and ``tde schema``."""
