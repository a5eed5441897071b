import pytest

from marsad import Document, Pipeline, Provenance, Span, analyse
from marsad.pipeline import DEFAULT_STAGES, PipelineError, create_stage, register_stage, registered_stages


def test_default_pipeline_runs_declared_order():
    pipeline = Pipeline.default()
    assert pipeline.names == [n for n in DEFAULT_STAGES]
    assert pipeline.names[:3] == ["clean", "sentences", "tokens"]
    assert set(pipeline.names) <= set(registered_stages())


def test_stage_can_be_disabled_and_reenabled():
    pipeline = Pipeline.default()
    pipeline.disable("tokens")
    doc = pipeline(Document("قال الرئيس إن الجيش سيطر على المدينة."))
    assert "tokens" not in doc.layers and "sentences" in doc.layers
    pipeline.enable("tokens")
    assert "tokens" in pipeline(Document("نص آخر هنا.")).layers


def test_stage_can_be_replaced_by_name():
    class OneSentence:
        name = "sentences"
        version = "test"

        def __call__(self, doc):
            doc.set_layer("sentences", [Span(0, len(doc.text), "SENT", {}, Provenance(self.name, "all", self.version))])
            return doc

    pipeline = Pipeline.default()
    pipeline.replace("sentences", OneSentence())
    doc = pipeline(Document("جملة أولى. جملة ثانية."))
    assert len(doc.sentences) == 1
    assert doc.sentences[0].provenance.version == "test"


def test_excluding_unknown_stage_is_an_error():
    with pytest.raises(PipelineError, match="unknown stage"):
        Pipeline.default(exclude=["nonsense"])
    with pytest.raises(PipelineError, match="no stage named"):
        create_stage("nonsense")


def test_registering_a_custom_stage_and_adding_it():
    @register_stage("count-words-test")
    class Counter:
        name = "count-words-test"
        version = "1"

        def __call__(self, doc):
            doc.meta["pieces"] = len(doc.tokens)
            return doc

    pipeline = Pipeline.default()
    pipeline.add(create_stage("count-words-test"), after="tokens")
    assert pipeline.names.index("count-words-test") == pipeline.names.index("tokens") + 1
    doc = pipeline(Document("والبوكمال مدينة."))
    assert doc.meta["pieces"] == 5  # و ال بوكمال مدينة .
    with pytest.raises(PipelineError, match="already has"):
        pipeline.add(create_stage("count-words-test"))


def test_timed_run_records_every_active_stage():
    timings: dict[str, float] = {}
    pipeline = Pipeline.default()
    pipeline.timed(Document("قال الرئيس إن الجيش سيطر على المدينة."), timings)
    assert set(timings) == set(pipeline.active_names)


def test_analyse_sets_metadata():
    doc = analyse("قال الرئيس إن الجيش سيطر على المدينة.", published="2017-11-19", source="الغد", category="x")
    assert doc.published == "2017-11-19" and doc.source == "الغد" and doc.meta["category"] == "x"


# --- batch garbage-collector settings -----------------------------------------------------------------------
def test_batch_gc_tunes_the_collector_and_restores_it():
    import gc

    from marsad.pipeline import BATCH_GC_THRESHOLD, batch_gc

    before = gc.get_threshold()
    assert before != BATCH_GC_THRESHOLD
    with batch_gc():
        assert gc.get_threshold() == BATCH_GC_THRESHOLD
        assert gc.get_freeze_count() > 0  # what was loaded before the run is out of the collector's sight
        with batch_gc():  # nested (a pipe inside an ingest): the outer settings stand
            assert gc.get_threshold() == BATCH_GC_THRESHOLD
        assert gc.get_threshold() == BATCH_GC_THRESHOLD and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_batch_gc_restores_after_an_error_and_leaves_a_disabled_collector_alone():
    import gc

    from marsad.pipeline import batch_gc

    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with batch_gc():
            raise RuntimeError("stage crashed")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with batch_gc():
            assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_pipe_runs_under_batch_gc_and_restores_when_done():
    import gc

    from marsad.pipeline import BATCH_GC_THRESHOLD

    seen = []

    class Probe:
        name, version = "probe", "1"

        def __call__(self, doc):
            seen.append(gc.get_threshold())
            return doc

    before = gc.get_threshold()
    docs = list(Pipeline([Probe()]).pipe(Document(text=t) for t in ("أ", "ب")))
    assert len(docs) == 2 and seen == [BATCH_GC_THRESHOLD, BATCH_GC_THRESHOLD]
    assert gc.get_threshold() == before
