"""Experiment (not part of the product): does a small neural tagger lift ANERcorp strict F1 next to the CRF? Its
label log-probabilities, times λ, are added to the CRF's state scores before Viterbi (a product of experts).

    pip install -e ".[experiments]"      # torch, gensim: experiment only; nothing here ships
    python scripts/experiments/nn_emissions.py --fold dev --arch cnn --epochs 12
    python scripts/experiments/nn_emissions.py --fold dev --arch lstm --hidden 200 --epochs 14

Folds as scripts/cv_tagger.py's (common.py). The CRF is trained with scripts/train_tagger.py's settings and decoded
with the shipped O penalty (0.4). The network sees, for each word: a letter CNN (widths 2-4, 50 filters each) over
its matching form, the word2vec vector of the featuriser's stem (ANT corpus, build_clusters.py's settings, frozen),
a bag of the CRF's own-word attributes (those seen twice or more in training) and the actor-lexicon tag; then a
window CNN (5 words, then 3) or a BiLSTM; cross-entropy, Adam, dropout 0.5. Each epoch prints the network alone
(argmax) and the CRF + λ × log p for several λ.
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import common
from marsad.entities.tagger import CRFModel, Decoder, default_featuriser, lexicon_word_tags
from marsad.text.normalise import matching_form

O_PENALTY = 0.4
LAMBDAS = (0.25, 0.5, 0.75, 1.0, 1.5)
MAX_LETTERS = 20
SPARE_IDS = 200  # letter and lexicon-tag ids first met in the test part


def word2vec(shared: Path, work: Path) -> tuple[dict[str, int], np.ndarray]:
    """stem -> row of unit vectors (row 0: zeros for stems without one); built once with build_clusters.py's
    settings and kept in ``work``."""
    vectors, words = work / "w2v.npy", work / "w2v.txt"
    if not vectors.exists():
        import build_clusters as bc
        from gensim.models import Word2Vec

        model = Word2Vec(list(bc.stems_of_articles(shared / bc.ANT[0])), vector_size=bc.DIM, window=bc.WINDOW,
                         min_count=bc.MIN_COUNT, sg=1, negative=5, epochs=bc.EPOCHS, workers=1, seed=bc.SEED,
                         hashfxn=bc._hash, sample=1e-4)
        np.save(vectors, np.stack([model.wv[w] for w in model.wv.index_to_key]).astype(np.float32))
        words.write_text("\n".join(model.wv.index_to_key), encoding="utf-8")
    table = np.load(vectors)
    table /= np.linalg.norm(table, axis=1, keepdims=True)
    rows = {w: i + 1 for i, w in enumerate(words.read_text(encoding="utf-8").split("\n"))}
    return rows, np.concatenate([np.zeros((1, table.shape[1]), np.float32), table])


class Inputs:
    """Each sentence as id lists: letters per word, word2vec row, own-attribute bag, lexicon tag, gold label."""

    def __init__(self, featuriser, vector_rows: dict[str, int], training: list, labels: list[str]):
        self.featuriser, self.vector_rows = featuriser, vector_rows
        self.label_ids = {label: i for i, label in enumerate(labels)}
        seen = Counter(a for s in training for w in s.words for a in featuriser.word(w)[0])
        self.attribute_ids = {a: i + 1 for i, a in enumerate(a for a, n in seen.items() if n >= 2)}
        self.letter_ids: dict[str, int] = {}
        self.lexicon_ids: dict[str, int] = {}

    def of(self, sentences: list) -> list[dict]:
        out = []
        for s in sentences:
            entries = [self.featuriser.word(w) for w in s.words]
            out.append({
                "letters": [[self.letter_ids.setdefault(c, len(self.letter_ids) + 2)
                             for c in matching_form(w)[:MAX_LETTERS]] or [1] for w in s.words],
                "vector": [self.vector_rows.get(e[5] or "", 0) for e in entries],
                "bag": [[self.attribute_ids[a] for a in e[0] if a in self.attribute_ids] or [0] for e in entries],
                "lexicon": [self.lexicon_ids.setdefault(t, len(self.lexicon_ids) + 1) for t in lexicon_word_tags(s.words)],
                "gold": [self.label_ids.get(t, self.label_ids["O"]) for t in s.tags]})
        return out


def tensors(items: list[dict]) -> dict:
    """A batch: the words of all sentences flat, and where each sits in a (sentences × longest) grid."""
    longest = max(len(item["gold"]) for item in items)
    place, letters, vector, bag, offsets, lexicon, gold = [], [], [], [], [], [], []
    for i, item in enumerate(items):
        for t in range(len(item["gold"])):
            place.append(i * longest + t)
            letters.append(item["letters"][t])
            vector.append(item["vector"][t])
            offsets.append(len(bag))
            bag += item["bag"][t]
            lexicon.append(item["lexicon"][t])
            gold.append(item["gold"][t])
    letter_grid = torch.zeros(len(letters), max(4, max(map(len, letters))), dtype=torch.long)
    for i, word in enumerate(letters):
        letter_grid[i, :len(word)] = torch.tensor(word)
    return {"sentences": len(items), "longest": longest, "place": torch.tensor(place), "letters": letter_grid,
            "vector": torch.tensor(vector), "bag": torch.tensor(bag), "offsets": torch.tensor(offsets),
            "lexicon": torch.tensor(lexicon), "gold": torch.tensor(gold)}


class Network(nn.Module):
    def __init__(self, arch: str, hidden: int, letters: int, vectors: np.ndarray, attributes: int, lexicon: int,
                 labels: int):
        super().__init__()
        self.arch, self.labels = arch, labels
        self.letter = nn.Embedding(letters, 24, padding_idx=0)
        self.letter_convs = nn.ModuleList([nn.Conv1d(24, 50, width, padding=width // 2) for width in (2, 3, 4)])
        self.vector = nn.Embedding.from_pretrained(torch.tensor(vectors), freeze=True, padding_idx=0)
        self.bag = nn.EmbeddingBag(attributes, 64, mode="sum", padding_idx=0)
        self.lexicon = nn.Embedding(lexicon, 16, padding_idx=0)
        width = 150 + vectors.shape[1] + 64 + 16
        self.drop = nn.Dropout(0.5)
        if arch == "lstm":
            self.lstm = nn.LSTM(width, hidden // 2, batch_first=True, bidirectional=True)
            self.out = nn.Linear(hidden, labels)
        else:
            self.window5 = nn.Conv1d(width, hidden, 5, padding=2)
            self.window3 = nn.Conv1d(hidden, labels, 3, padding=1)

    def forward(self, batch: dict) -> torch.Tensor:
        letters = self.letter(batch["letters"]).transpose(1, 2)
        words = torch.cat([torch.cat([F.relu(conv(letters)).max(2).values for conv in self.letter_convs], 1),
                           self.vector(batch["vector"]), self.bag(batch["bag"], batch["offsets"]),
                           self.lexicon(batch["lexicon"])], 1)
        words = self.drop(words)
        n, longest = batch["sentences"], batch["longest"]
        grid = words.new_zeros(n * longest, words.shape[1])
        grid[batch["place"]] = words
        if self.arch == "lstm":
            hidden, _ = self.lstm(grid.view(n, longest, -1))
            scores = self.out(self.drop(hidden))
        else:
            hidden = self.drop(torch.relu(self.window5(grid.view(n, longest, -1).transpose(1, 2))))
            scores = self.window3(hidden).transpose(1, 2)
        return scores.reshape(n * longest, self.labels)[batch["place"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fold", choices=common.FOLDS, default="dev")
    parser.add_argument("--arch", choices=("cnn", "lstm"), default="cnn")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shared", type=Path, default=common.DEFAULT_SHARED)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "marsad-nn")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    train, test = common.folds(args.shared)[args.fold]
    featuriser = default_featuriser()

    model = CRFModel.read(common.train_crf(featuriser, train, args.work / f"crf_{args.fold}.crfsuite"))
    decoder = Decoder.of(model, featuriser)
    batch = common.batch_of(test)
    lengths = [len(words) for words, _ in batch]
    crf_state = common.with_o_penalty(decoder.scores(batch), model.labels, O_PENALTY)
    print(f"CRF {args.fold}: {common.strict_f1(test, decoder.decode(lengths, crf_state)):.4f}", flush=True)

    vector_rows, vectors = word2vec(args.shared, args.work)
    inputs = Inputs(featuriser, vector_rows, train, model.labels)
    training, testing = inputs.of(train), inputs.of(test)
    network = Network(args.arch, args.hidden, len(inputs.letter_ids) + 2 + SPARE_IDS, vectors,
                      len(inputs.attribute_ids) + 1, len(inputs.lexicon_ids) + 1 + SPARE_IDS, len(model.labels))
    optimiser = torch.optim.Adam(network.parameters(), lr=1e-3)
    test_batches = [tensors(testing[i:i + 256]) for i in range(0, len(testing), 256)]
    starts = np.cumsum([0] + lengths)
    order = list(range(len(training)))
    began = time.time()
    for epoch in range(args.epochs):
        random.shuffle(order)
        loss_sum = 0.0
        for i in range(0, len(order), 32):
            step = tensors([training[j] for j in order[i:i + 32]])
            loss = F.cross_entropy(network(step), step["gold"])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            loss_sum += loss.item()
        network.eval()
        with torch.no_grad():
            log_p = torch.cat([F.log_softmax(network(b), 1) for b in test_batches]).numpy().astype(np.float64)
        network.train()
        alone = [[model.labels[k] for k in log_p[a:b].argmax(1)] for a, b in zip(starts, starts[1:])]
        mixed = {lam: common.strict_f1(test, decoder.decode(lengths, crf_state + lam * log_p)) for lam in LAMBDAS}
        print(f"epoch {epoch} loss {loss_sum:.1f} ({time.time() - began:.0f} s): network alone "
              f"{common.strict_f1(test, alone):.4f}; CRF + λ·log p: "
              + ", ".join(f"λ={lam} {f1:.4f}" for lam, f1 in mixed.items()), flush=True)


if __name__ == "__main__":
    main()
