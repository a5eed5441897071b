"""Gold readers for the five formats, told apart by content, each checked field by field.

- article readings: ``NAME.txt`` + ``NAME.expected.json`` (docs/gold-format.md);
- event sentences: JSONL, one sentence and one event a line (UniversalPetrarch's Arabic GSR);
- time-expression sentences: JSONL, one expression in its sentence with its publication date and value a line
  (eval/times/dev.jsonl);
- named-entity corpora: token-per-line BIO (ANERcorp, AQMAR, Wojood tag sets, mapped to PERSON/ORG/LOC/MISC);
- time expressions: TimeML ``.tml`` files (TIMEX3 spans and values).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from marsad.eval.errors import GoldFormatError
from marsad.eval.jsonpos import loads_with_lines
from marsad.time.calendar import parse_anchor

ARTICLE, EVENT_SENTENCES, NER, TIMEML = "article-readings", "event-sentences", "ner-bio", "timeml"
# Article readings one a line, the text inside ("text" beside the reading's keys): handy for many short snippets.
ARTICLE_LINES = "article-readings-jsonl"
# One time expression a line: its sentence, its publication date and its TIMEX3 value (eval/times/dev.jsonl).
TIME_SENTENCES = "time-sentences"
FORMATS = (ARTICLE, ARTICLE_LINES, EVENT_SENTENCES, TIME_SENTENCES, NER, TIMEML)

ARTICLE_KEYS = ("published", "dateline", "boilerplate", "headline", "places", "people", "organisations", "times",
                "events", "quotes", "control")
MODALITIES = frozenset({"reported", "claimed", "denied", "planned", "negated", "conditional", "hypothetical"})

# Every tag type of the three corpora, mapped to one scheme (None: not a named entity in that scheme, ignored).
NER_TYPES: dict[str, str | None] = {
    "PERS": "PERSON", "PER": "PERSON", "PERSON": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
    "MISC": "MISC", "MIS": "MISC", "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "LANGUAGE": "MISC",
    "LAW": "MISC", "WEBSITE": "MISC",
    "DATE": None, "TIME": None, "CARDINAL": None, "ORDINAL": None, "MONEY": None, "PERCENT": None,
    "QUANTITY": None, "UNIT": None, "CURR": None, "OCC": None,
}
_TAG = re.compile(r"^(?:O|[BI]-[A-Za-z_]+)$")
# Wojood marks the end of a source paragraph with this pseudo-token; it is not text.
_WOJOOD_SEPARATOR = "$#$"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]+)?$")
_ACTOR_CODE = re.compile(r"^\S+ \S+$")
TIME_SENTENCE_KEYS = ("sentence", "text", "value", "published", "id", "category", "type", "anchored", "flags", "range",
                      "source", "article_id", "note")
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")


# --- gold records ---------------------------------------------------------------------------------------
@dataclass
class ArticleGold:
    name: str
    text_path: Path
    json_path: Path
    text: str
    data: dict[str, Any]
    lines: dict[str, int]

    @property
    def published(self) -> str | None:
        return self.data.get("published")


@dataclass
class EventSentenceGold:
    path: Path
    line: int
    id: str
    text: str
    plover: str
    event_text: str = ""
    source_text: str = ""
    target_text: str = ""
    source_code: str | None = None
    target_code: str | None = None


@dataclass
class NerSentenceGold:
    path: Path
    line: int  # line of the sentence's first token
    tokens: list[str]
    entities: list[tuple[int, int, str]]  # token start, token end (exclusive), PERSON/ORG/LOC/MISC

    def token_offsets(self) -> list[tuple[int, int]]:
        """Character offsets of each token in ``text`` (tokens joined with single spaces)."""
        out, pos = [], 0
        for tok in self.tokens:
            out.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        return out

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass
class Timex:
    start: int
    end: int
    type: str
    value: str
    line: int


@dataclass
class TimeMLGold:
    path: Path
    text: str
    published: str | None
    timexes: list[Timex]


@dataclass
class TimeSentenceGold:
    """One time expression: ``text`` at ``start`` in ``sentence``; ``data`` is the whole record (``value`` and,
    where given, ``anchored`` and ``flags`` are what marsad.time.score.judge compares)."""

    path: Path
    line: int
    id: str
    sentence: str
    text: str
    start: int
    published: str | None
    data: dict[str, Any]

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def category(self) -> str | None:
        return self.data.get("category")


@dataclass
class GoldSet:
    """The gold items of one format found under one command-line argument."""

    source: str
    format: str
    items: list[Any] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- detection ------------------------------------------------------------------------------------------
def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GoldFormatError(path, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise GoldFormatError(path, f"unreadable: {exc.strerror}") from None


def sniff(path: Path) -> str | None:
    """The gold format of a file judged by its content, or None when it is none of the five."""
    if path.name.endswith(".expected.json"):
        return ARTICLE
    try:
        head = path.read_bytes()[:65536].decode("utf-8-sig", errors="replace")
    except OSError as exc:
        raise GoldFormatError(path, f"unreadable: {exc.strerror}") from None
    stripped = head.lstrip()
    if stripped.startswith("<?xml") or stripped.startswith("<TimeML") or "<TIMEX3" in head:
        return TIMEML
    if stripped.startswith("{"):
        first = stripped.split("\n", 1)[0]
        try:
            record = json.loads(first)
        except ValueError:
            record = None
        if isinstance(record, dict) and {"sentence", "text", "value"} <= set(record):
            return TIME_SENTENCES
        if isinstance(record, dict) and "text" in record and ("plover" in record or "event_text" in record):
            return EVENT_SENTENCES
        if isinstance(record, dict) and isinstance(record.get("text"), str) and any(k in record for k in ARTICLE_KEYS):
            return ARTICLE_LINES
        try:
            whole = json.loads(_read(path))
        except ValueError:
            whole = None
        if isinstance(whole, dict) and any(k in whole for k in ARTICLE_KEYS):
            return ARTICLE
        return None
    lines = [ln for ln in head.splitlines()[:200] if ln.strip()]
    if len(lines) >= 2:
        bio = sum(1 for ln in lines if len(ln.split()) >= 2 and all(_TAG.match(t) for t in ln.split()[1:]))
        if bio >= 0.75 * len(lines):  # most lines: a corpus with a few broken lines still reads as BIO, and fails on them
            return NER
    return None


def _text_beside(json_path: Path) -> Path:
    name = json_path.name
    stem = name[: -len(".expected.json")] if name.endswith(".expected.json") else json_path.stem
    return json_path.with_name(stem + ".txt")


def _json_beside(text_path: Path) -> Path:
    return text_path.with_name(text_path.stem + ".expected.json")


def load_gold(argument: str | Path) -> list[GoldSet]:
    """Every gold item under a file or folder argument, grouped by format (in the order met)."""
    root = Path(argument)
    if not root.exists():
        raise GoldFormatError(root, "no such file or folder")
    sets: dict[tuple[str, str], GoldSet] = {}

    def gold_set(fmt: str, path: Path | None = None) -> GoldSet:
        # Corpora (BIO, JSONL) are scored file by file: a folder of ANERcorp and AQMAR is two results, not one.
        name = str(path) if path is not None else str(root)
        if (fmt, name) not in sets:
            sets[(fmt, name)] = GoldSet(name, fmt)
        return sets[(fmt, name)]

    if root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))
    else:
        files = [root]
        if root.suffix == ".txt" and _json_beside(root).exists():
            files = [_json_beside(root)]  # NAME.txt given alone: its reading is beside it
    skipped = []
    for path in files:
        if root.is_dir() and path.suffix == ".txt" and _json_beside(path).exists():
            continue  # the text half of an article reading
        fmt = sniff(path)
        if fmt is None:
            if root.is_dir():
                skipped.append(path.name)
                continue
            raise GoldFormatError(path, "not a gold file in any known format (article reading NAME.expected.json, "
                                        "event-sentence JSONL, time-sentence JSONL, BIO named-entity corpus, TimeML)")
        if fmt == ARTICLE:
            gold_set(fmt).items.append(read_article(path))
        elif fmt == ARTICLE_LINES:
            gold_set(ARTICLE, path).items.extend(read_article_lines(path))
        elif fmt == EVENT_SENTENCES:
            gold_set(fmt, path).items.extend(read_event_sentences(path))
        elif fmt == TIME_SENTENCES:
            gold_set(fmt, path).items.extend(read_time_sentences(path))
        elif fmt == NER:
            s = gold_set(fmt, path)
            sentences, tagset = read_ner(path)
            s.items.extend(sentences)
            s.notes.append(f"tag set {tagset}")
        else:
            gold_set(fmt).items.append(read_timeml(path))
    out = list(sets.values())
    if skipped and out:
        out[0].notes.append(f"skipped (not gold): {', '.join(skipped)}")
    if not out:
        raise GoldFormatError(root, "holds no gold file in any known format")
    return out


# --- article readings -----------------------------------------------------------------------------------
def read_article(json_path: Path) -> ArticleGold:
    from marsad.eval.match import Locator

    raw = _read(json_path)
    try:
        data, lines = loads_with_lines(raw)
    except json.JSONDecodeError as exc:
        raise GoldFormatError(json_path, f"broken JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    if not isinstance(data, dict):
        raise GoldFormatError(json_path, "an article reading is a JSON object", line=1)
    text_path = _text_beside(json_path)
    if not text_path.exists():
        raise GoldFormatError(json_path, f"the article text {text_path.name} is not beside it")
    text = _read(text_path)
    checker = _Checker(json_path, lines, Locator(text), text_path.name)
    checker.article(data)
    return ArticleGold(json_path.name[: -len(".expected.json")] if json_path.name.endswith(".expected.json") else json_path.stem,
                       text_path, json_path, text, data, lines)


def _json_objects(path: Path):
    """(line number, object) for each non-blank line of a JSON-lines gold file; a bad line names itself."""
    for number, line in enumerate(_read(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise GoldFormatError(path, f"broken JSON: {exc}", line=number) from None
        if not isinstance(data, dict):
            raise GoldFormatError(path, "each line is one JSON object", line=number)
        yield number, data


def read_article_lines(path: Path) -> list[ArticleGold]:
    """Article readings one a line: each JSON object holds the article's ``text`` and the reading's keys."""
    from marsad.eval.match import Locator

    out = []
    for number, data in _json_objects(path):
        text = data.pop("text", None)
        if not isinstance(text, str) or not text.strip():
            raise GoldFormatError(path, "expected the article as a non-empty string", line=number, field="text")
        name = str(data.pop("id", f"{path.name}:{number}"))
        _Checker(path, {}, Locator(text), f"its 'text'", line=number).article(data)
        out.append(ArticleGold(name, path, path, text, data, {}))
    if not out:
        raise GoldFormatError(path, "holds no records")
    return out


class _Checker:
    """Field-by-field checks of an article reading; the first problem raises with its line and field path."""

    def __init__(self, path: Path, lines: dict[str, int], locator: Any, text_name: str, line: int | None = None):
        self.path, self.lines, self.locator, self.text_name = path, lines, locator, text_name
        self.line = line  # for a reading on one line of a JSONL file, every field is on that line

    def fail(self, field_path: str, message: str) -> None:
        raise GoldFormatError(self.path, message, line=self.lines.get(field_path, self.line), field=field_path)

    def string(self, value: Any, path: str, *, in_text: bool = False, allow_null: bool = False) -> None:
        if value is None and allow_null:
            return
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"expected a non-empty string, got {json.dumps(value, ensure_ascii=False)}")
        if in_text and not self.locator.find(value):
            self.fail(path, f"{value!r} does not occur in {self.text_name} (surface strings are quoted exactly)")

    def strings(self, value: Any, path: str, *, in_text: bool = False, allow_null: bool = False) -> None:
        """A string or a non-empty list of strings."""
        if isinstance(value, list):
            if not value:
                self.fail(path, "an empty list: leave the key out when not annotated")
            for i, v in enumerate(value):
                self.string(v, f"{path}[{i}]", in_text=in_text, allow_null=allow_null)
        else:
            self.string(value, path, in_text=in_text, allow_null=allow_null)

    def records(self, data: dict, key: str, required: tuple[str, ...], optional: dict[str, str]) -> list[dict]:
        items = data[key]
        if not isinstance(items, list):
            self.fail(key, "expected a list of objects")
        for i, item in enumerate(items):
            path = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.fail(path, "expected an object")
            for req in required:
                if req not in item:
                    self.fail(path, f"lacks the required key {req!r}")
            for k in item:
                if k not in required and k not in optional and k != "note":
                    known = ", ".join(list(required) + list(optional) + ["note"])
                    self.fail(f"{path}.{k}", f"unknown key (known: {known})")
        return items

    def date(self, value: Any, path: str) -> None:
        if not isinstance(value, str) or not _DATE.match(value):
            self.fail(path, f"expected an ISO date YYYY-MM-DD, got {json.dumps(value, ensure_ascii=False)}")

    def article(self, data: dict) -> None:
        for k in data:
            if k not in ARTICLE_KEYS and k != "about" and not k.startswith("_"):
                self.fail(k, f"unknown key (known: {', '.join(ARTICLE_KEYS)}, about)")
        if "published" in data:
            self.date(data["published"], "published")
        if "dateline" in data:
            self.string(data["dateline"], "dateline", in_text=True)
        if "headline" in data:
            self.string(data["headline"], "headline", in_text=True)
        if "boilerplate" in data:
            if not isinstance(data["boilerplate"], list):
                self.fail("boilerplate", "expected a list of strings")
            for i, v in enumerate(data["boilerplate"]):
                self.string(v, f"boilerplate[{i}]")
                if v not in self.locator.text:
                    self.fail(f"boilerplate[{i}]", f"{v!r} does not occur in {self.text_name}")
        if "places" in data:
            opt = {k: "" for k in ("name_en", "geonameid", "country", "admin1", "lat", "lon", "kind", "role")}
            for i, p in enumerate(self.records(data, "places", ("text",), opt)):
                path = f"places[{i}]"
                self.string(p["text"], f"{path}.text", in_text=True)
                for k in ("name_en", "kind", "admin1", "role"):
                    if k in p:
                        self.string(p[k], f"{path}.{k}")
                if "country" in p and not (isinstance(p["country"], str) and re.fullmatch(r"[A-Z]{2}", p["country"])):
                    self.fail(f"{path}.country", f"expected an ISO 3166 alpha-2 code, got {p['country']!r}")
                if "geonameid" in p and not (isinstance(p["geonameid"], int) and not isinstance(p["geonameid"], bool)):
                    self.fail(f"{path}.geonameid", f"expected an integer GeoNames id, got {p['geonameid']!r}")
                if ("lat" in p) != ("lon" in p):
                    self.fail(path, "has one of lat/lon without the other")
                for k, bound in (("lat", 90), ("lon", 180)):
                    if k in p and not (isinstance(p[k], (int, float)) and not isinstance(p[k], bool) and -bound <= p[k] <= bound):
                        self.fail(f"{path}.{k}", f"expected a number within ±{bound}, got {p[k]!r}")
        for key in ("people", "organisations"):
            if key in data:
                opt = {k: "" for k in ("name_en", "role", "country", "kind", "also", "affiliation")}
                for i, p in enumerate(self.records(data, key, ("text",), opt)):
                    path = f"{key}[{i}]"
                    self.string(p["text"], f"{path}.text", in_text=True)
                    if "name_en" in p:
                        self.string(p["name_en"], f"{path}.name_en")
                    if "also" in p:
                        if not isinstance(p["also"], list):
                            self.fail(f"{path}.also", "expected a list of strings")
                        self.strings(p["also"], f"{path}.also", in_text=True)
        if "times" in data:
            for i, t in enumerate(self.records(data, "times", ("text", "value"), {"type": ""})):
                self.string(t["text"], f"times[{i}].text", in_text=True)
                self.strings(t["value"], f"times[{i}].value")
        if "events" in data:
            opt = {k: "" for k in ("sentence_starts", "what", "cameo", "plover", "source_actor", "target_actor", "place",
                                   "date", "reported_by", "quantity", "modality")}
            for i, e in enumerate(self.records(data, "events", (), opt)):
                path = f"events[{i}]"
                if "cameo" not in e and "plover" not in e:
                    self.fail(path, "needs 'cameo' or 'plover' (its category)")
                if "cameo" in e:
                    self.strings(e["cameo"], f"{path}.cameo")
                    for j, code in enumerate(e["cameo"] if isinstance(e["cameo"], list) else [e["cameo"]]):
                        if not re.fullmatch(r"\d{2,4}", code):
                            self.fail(f"{path}.cameo[{j}]" if isinstance(e["cameo"], list) else f"{path}.cameo",
                                      f"expected a CAMEO code of 2–4 digits, got {code!r}")
                if "plover" in e:
                    self.strings(e["plover"], f"{path}.plover", allow_null=True)
                    if isinstance(e.get("cameo"), list) and isinstance(e["plover"], list) and len(e["plover"]) not in (1, len(e["cameo"])):
                        self.fail(f"{path}.plover", "needs one category per CAMEO code (null for 01/02), or a single one")
                if "sentence_starts" in e:
                    self.string(e["sentence_starts"], f"{path}.sentence_starts", in_text=True)
                for k in ("source_actor", "target_actor", "date"):
                    if k in e:
                        self.strings(e[k], f"{path}.{k}")
                for k in ("place", "reported_by", "what", "quantity"):
                    if k in e:
                        self.string(e[k], f"{path}.{k}")
                if "modality" in e and e["modality"] not in MODALITIES:
                    self.fail(f"{path}.modality", f"{e['modality']!r} is not one of {', '.join(sorted(MODALITIES))}")
        if "quotes" in data:
            for i, q in enumerate(self.records(data, "quotes", ("speaker", "starts"), {"direct": ""})):
                self.string(q["speaker"], f"quotes[{i}].speaker")
                self.string(q["starts"], f"quotes[{i}].starts", in_text=True)
                if "direct" in q and not isinstance(q["direct"], bool):
                    self.fail(f"quotes[{i}].direct", f"expected true or false, got {q['direct']!r}")
        if "control" in data:
            opt = {k: "" for k in ("share", "date", "reported_by")}
            for i, c in enumerate(self.records(data, "control", ("place", "actor"), opt)):
                for k in ("place", "actor", "share", "reported_by"):
                    if k in c:
                        self.string(c[k], f"control[{i}].{k}")
                if "date" in c:
                    self.strings(c["date"], f"control[{i}].date")


# --- event sentences ------------------------------------------------------------------------------------
def read_event_sentences(path: Path) -> list[EventSentenceGold]:
    out = []
    for number, rec in _json_objects(path):
        for k in ("text", "plover"):
            if not isinstance(rec.get(k), str) or not rec[k].strip():
                raise GoldFormatError(path, f"expected a non-empty string, got {json.dumps(rec.get(k), ensure_ascii=False)}",
                                      line=number, field=k)
        for k in ("event_text", "source_text", "target_text"):
            if k in rec and not isinstance(rec[k], str):
                raise GoldFormatError(path, "expected a string", line=number, field=k)
        for k in ("source_code", "target_code"):
            v = rec.get(k)
            if v is not None and not (isinstance(v, str) and _ACTOR_CODE.match(v)):
                raise GoldFormatError(path, f"expected 'COUNTRY SECTOR' (None where absent), got {v!r}", line=number, field=k)
        out.append(EventSentenceGold(path, number, str(rec.get("id", number)), rec["text"], rec["plover"],
                                     rec.get("event_text", ""), rec.get("source_text", ""), rec.get("target_text", ""),
                                     rec.get("source_code"), rec.get("target_code")))
    if not out:
        raise GoldFormatError(path, "holds no records")
    return out


# --- time-expression sentences --------------------------------------------------------------------------
def read_time_sentences(path: Path) -> list[TimeSentenceGold]:
    """One time expression a line: ``sentence``, ``text`` (as it stands in it), ``value``, ``published`` and
    optional keys (docs/gold-format.md); the first problem raises with its line and field."""
    out = []
    first_line: dict[str, int] = {}
    for number, rec in _json_objects(path):
        _check_time_sentence(path, number, rec)
        item_id = str(rec.get("id", f"{path.name}:{number}"))
        if item_id in first_line:
            raise GoldFormatError(path, f"duplicate id {item_id!r} (first on line {first_line[item_id]})",
                                  line=number, field="id")
        first_line[item_id] = number
        out.append(TimeSentenceGold(path, number, item_id, rec["sentence"], rec["text"], rec["sentence"].find(rec["text"]),
                                    rec.get("published"), rec))
    if not out:
        raise GoldFormatError(path, "holds no records")
    return out


def _check_time_sentence(path: Path, number: int, rec: dict[str, Any]) -> None:
    def fail(message: str, field: str | None = None) -> NoReturn:
        raise GoldFormatError(path, message, line=number, field=field)

    for k in rec:
        if k not in TIME_SENTENCE_KEYS and not k.startswith("_"):
            fail(f"unknown key (known: {', '.join(TIME_SENTENCE_KEYS)})", k)
    for k in ("sentence", "text", "value"):
        if k not in rec:
            fail(f"lacks the required key {k!r}")
    for k in ("sentence", "text", "category", "source", "article_id", "note"):
        if k in rec and (not isinstance(rec[k], str) or not rec[k].strip()):
            fail(f"expected a non-empty string, got {json.dumps(rec[k], ensure_ascii=False)}", k)
    if rec["text"] not in rec["sentence"]:
        fail(f"{rec['text']!r} does not occur in its sentence (quote the expression exactly as it stands)", "text")
    value = rec["value"]
    values = value if isinstance(value, list) else [value]
    if value is not None and (not values or not all(isinstance(v, str) and v.strip() for v in values)):
        fail("expected a TIMEX3 value, a non-empty list of values, or null (an impossible date), got "
             f"{json.dumps(value, ensure_ascii=False)}", "value")
    published = rec.get("published")
    if published is not None and (not isinstance(published, str) or parse_anchor(published) is None):
        # the pipeline's own reading of a publication date: what it cannot read would silently leave values relative
        fail(f"bad publication date {json.dumps(published, ensure_ascii=False)}: expected a real day as YYYY-MM-DD "
             "(a time may follow) or DD/MM/YYYY, or null when the article has none", "published")
    if "type" in rec and rec["type"] not in TIMEX_TYPES:
        fail(f"{json.dumps(rec['type'], ensure_ascii=False)} is not one of {', '.join(TIMEX_TYPES)}", "type")
    for k in ("anchored", "range"):
        if k in rec and not isinstance(rec[k], bool):
            fail(f"expected true or false, got {json.dumps(rec[k], ensure_ascii=False)}", k)
    if "flags" in rec and not (isinstance(rec["flags"], list) and all(isinstance(f, str) and f for f in rec["flags"])):
        fail(f"expected a list of flag names, got {json.dumps(rec['flags'], ensure_ascii=False)}", "flags")
    if "id" in rec and not (isinstance(rec["id"], (str, int)) and not isinstance(rec["id"], bool) and str(rec["id"]).strip()):
        fail(f"expected a string or a number, got {json.dumps(rec['id'], ensure_ascii=False)}", "id")


# --- BIO named-entity corpora ---------------------------------------------------------------------------
def read_ner(path: Path) -> tuple[list[NerSentenceGold], str]:
    """Sentences with their entities in PERSON/ORG/LOC/MISC, and the name of the tag set met."""
    sentences: list[NerSentenceGold] = []
    seen_types: set[str] = set()
    tokens: list[str] = []
    tags: list[list[str]] = []
    first_line = 0

    def flush() -> None:
        nonlocal tokens, tags
        if tokens:
            sentences.append(NerSentenceGold(path, first_line, tokens, _bio_entities(tags)))
        tokens, tags = [], []

    for number, line in enumerate(_read(path).splitlines(), 1):
        fields = line.split()
        if not fields:
            flush()
            continue
        if len(fields) < 2:
            raise GoldFormatError(path, f"token {fields[0]!r} has no tag (expected 'TOKEN TAG')", line=number, field="tag")
        for tag in fields[1:]:
            if not _TAG.match(tag):
                raise GoldFormatError(path, f"{tag!r} is not a BIO tag (O, B-TYPE, I-TYPE)", line=number, field="tag")
            if tag != "O":
                if tag[2:] not in NER_TYPES:
                    raise GoldFormatError(path, f"unknown entity type {tag[2:]!r} (known: {', '.join(sorted(NER_TYPES))})",
                                          line=number, field="tag")
                seen_types.add(tag[2:])
        if fields[0] == _WOJOOD_SEPARATOR:
            continue
        if not tokens:
            first_line = number
        tokens.append(fields[0])
        tags.append(fields[1:])
    flush()
    if not sentences:
        raise GoldFormatError(path, "holds no sentences")
    if seen_types & {"GPE", "NORP", "OCC", "FAC"}:
        tagset = "Wojood (nested; outermost PERSON/ORG/LOC/MISC kept)"
    elif seen_types & {"PERS", "MISC"}:
        tagset = "ANERcorp (PERS/LOC/ORG/MISC)"
    elif seen_types & {"PER", "MIS"}:
        tagset = "AQMAR (PER/LOC/ORG/MIS)"
    else:
        tagset = "+".join(sorted(seen_types)) or "no entities"
    return sentences, tagset


def _bio_entities(tags: list[list[str]]) -> list[tuple[int, int, str]]:
    """Entity spans from per-token tag lists; several tags on a token are nested entities (Wojood).

    For each type, the outermost spans continue while I- tags of that type go on; B- opens a new (inner) span.
    After mapping to the one scheme, spans inside another kept span are dropped: the scheme is flat.
    """
    open_spans: dict[str, list[int]] = {}
    raw: list[tuple[int, int, str]] = []
    for i, token_tags in enumerate(tags):
        inside: dict[str, int] = {}
        begins: dict[str, int] = {}
        for tag in token_tags:
            if tag == "O":
                continue
            bucket = begins if tag[0] == "B" else inside
            bucket[tag[2:]] = bucket.get(tag[2:], 0) + 1
        for typ in list(open_spans):
            keep = inside.pop(typ, 0)
            for start in open_spans[typ][keep:]:
                raw.append((start, i, typ))
            open_spans[typ] = open_spans[typ][:keep]
        for typ, n in inside.items():  # I- without an open span: read as a beginning (IOB1 habit)
            begins[typ] = begins.get(typ, 0) + n
        for typ, n in begins.items():
            open_spans.setdefault(typ, []).extend([i] * n)
    for typ, starts in open_spans.items():
        raw.extend((start, len(tags), typ) for start in starts)
    mapped = sorted({(s, e, NER_TYPES[t]) for s, e, t in raw if NER_TYPES.get(t)}, key=lambda x: (x[0], -x[1]))
    flat: list[tuple[int, int, str]] = []
    for s, e, t in mapped:
        if any(fs <= s and e <= fe for fs, fe, _ in flat):
            continue
        flat.append((s, e, t))
    return flat


# --- TimeML ---------------------------------------------------------------------------------------------
def read_timeml(path: Path) -> TimeMLGold:
    from lxml import etree

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GoldFormatError(path, f"unreadable: {exc.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise GoldFormatError(path, f"broken XML: {exc.msg}", line=exc.lineno) from None
    parts: list[str] = []
    length = 0
    timexes: list[Timex] = []
    published: list[str] = []

    def add(text: str | None) -> None:
        nonlocal length
        if text:
            text = text.replace("\ufeff", "")
            parts.append(text)
            length += len(text)

    def walk(elem: Any) -> None:
        add(elem.text)
        for child in elem:
            if not isinstance(child.tag, str):  # comments, processing instructions
                add(child.tail)
                continue
            if child.tag == "DCT":
                for t in child.iter("TIMEX3"):
                    if t.get("value"):
                        published.append(t.get("value"))
            elif child.tag == "TIMEX3" and child.get("functionInDocument") == "CREATION_TIME" and not published:
                published.append(child.get("value") or "")
                start = length
                walk(child)
                timexes.append(_timex(path, child, start, length))
            elif child.tag == "TIMEX3":
                start = length
                walk(child)
                timexes.append(_timex(path, child, start, length))
            else:
                walk(child)
            add(child.tail)

    walk(root)
    dct = next((p[:10] for p in published if _DATE.match(p[:10])), None)
    return TimeMLGold(path, "".join(parts), dct, timexes)


def _timex(path: Path, elem: Any, start: int, end: int) -> Timex:
    typ, value = elem.get("type"), elem.get("value")
    if typ not in ("DATE", "TIME", "DURATION", "SET"):
        raise GoldFormatError(path, f"type {typ!r} is not DATE, TIME, DURATION or SET", line=elem.sourceline, field="TIMEX3.type")
    if not value:
        raise GoldFormatError(path, "TIMEX3 without a value", line=elem.sourceline, field="TIMEX3.value")
    if end <= start:
        raise GoldFormatError(path, "empty TIMEX3", line=elem.sourceline, field="TIMEX3")
    return Timex(start, end, typ, value, elem.sourceline)

