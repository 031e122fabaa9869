"""tdekit: Tactical Data Engagement kept as a folder of Markdown files.

The public Python API is small on purpose: load a project, validate it, score it.
The command line (``tde``) is built on exactly these functions.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
