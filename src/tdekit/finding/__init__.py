"""Step 1, Find: tally what residents already ask for, and rank the topics across sources.

:mod:`~.topics` puts a request in a topic, :mod:`~.tally` reads a request log into counts,
:mod:`~.signals` writes those counts as a signal record, :mod:`~.ranking` ranks the topics of
every signal for ``tde find``, and :mod:`~.rules` holds what ``tde validate`` checks of
signals and of the focus area's evidence. No row's text ever leaves :mod:`~.tally`: only
counts and the names of categories do.
"""
