import json

import pytest

from marsad import Document, Provenance, Span, analyse


def test_json_round_trip_is_lossless(bukamal_text):
    doc = analyse(bukamal_text, published="2017-11-19", source="الغد", title="البوكمال")
    doc.layers["extra"] = [Span(0, 5, "X", {"nested": {"list": [1, "٢", None]}, "ar": "داعش"},
                                Provenance("test", "rule-1", "9"))]
    again = Document.from_json(doc.to_json())
    assert again.to_dict() == doc.to_dict()
    assert again.layers["extra"][0].attrs["nested"]["list"] == [1, "٢", None]
    assert again.layers["extra"][0].provenance == Provenance("test", "rule-1", "9")
    assert again.text == bukamal_text  # the original text is kept byte for byte


def test_same_text_same_id_and_whitespace_insensitive():
    a = Document("قال الرئيس  إن الجيش\nسيطر على المدينة.")
    b = Document("قال الرئيس إن الجيش سيطر على المدينة.")
    c = Document("قال الرئيس إن الجيش سيطر على القرية.")
    assert a.id == b.id != c.id
    assert len(a.id) == 32


def test_set_layer_rejects_spans_outside_text():
    doc = Document("نص قصير")
    with pytest.raises(ValueError, match="outside the text"):
        doc.set_layer("bad", [Span(0, 50, "X")])


def test_set_layer_sorts_and_spans_within():
    doc = Document("واحد اثنان ثلاثة")
    doc.set_layer("w", [Span(11, 16, "C"), Span(0, 4, "A"), Span(5, 10, "B")])
    assert [s.label for s in doc.layer("w")] == ["A", "B", "C"]
    assert [s.label for s in doc.spans_within("w", Span(4, 16, "S"))] == ["B", "C"]


def test_to_dict_is_json_serialisable(bukamal_text):
    doc = analyse(bukamal_text)
    payload = json.loads(doc.to_json())
    assert payload["schema"] == 1
    assert set(payload["layers"]) >= {"clean", "sentences", "tokens"}
