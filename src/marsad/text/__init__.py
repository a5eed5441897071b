"""The Arabic text layer: matching forms, sentence splitting and clitic-aware tokenisation with offsets."""
from marsad.text.normalise import matching_form
from marsad.text.tokens import Tokeniser, matching_key
from marsad.text.sentences import split_sentences

__all__ = ["matching_form", "Tokeniser", "matching_key", "split_sentences"]
