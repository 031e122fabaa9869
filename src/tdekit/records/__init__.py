"""The records layer: what a record is, and reading, checking and keeping records.

* :mod:`~tdekit.records.kinds`: the registry of record kinds (folders, references, statuses,
  list columns, names); importable without pydantic.
* :mod:`~tdekit.records.models`: the fields of each kind.
* :mod:`~tdekit.records.frontmatter`: Markdown with YAML front matter, bytes in, values and
  positions out.
* :mod:`~tdekit.records.schema`: the border where pydantic checks values against the models;
  :mod:`~tdekit.records.settings` is ``tde.yaml``'s model, and :mod:`~tdekit.records.weights`
  the one rule for scoring weights (settings, validate, ``--weight`` and the ranking ask it).
* :mod:`~tdekit.records.bidi`: invisible bidi controls where they are an error;
  :mod:`~tdekit.records.template_text`: text left from a template (both checked as a file is
  read).
* :mod:`~tdekit.records.project`: finding a project folder and loading it.
* :mod:`~tdekit.records.cache`: what reading produced, kept so that unchanged files are not
  read again, signed with the user's key (:mod:`~tdekit.records.cachekey`).
"""
