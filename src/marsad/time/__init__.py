"""Time expressions: calendar arithmetic and the word lexicon behind the `times` stage (stages/times.py)."""
