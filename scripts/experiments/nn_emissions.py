"""Experiment (not part of the product): does a small neural tagger's label log-probabilities, added to the CRF's
state scores before Viterbi (a product of experts, weight lambda), lift ANERcorp strict F1?

    pip install -e ".[experiments]"      # torch, gensim: experiment only; nothing here ships
    python scripts/experiments/nn_emissions.py --fold dev --arch cnn  --epochs 12
    python scripts/experiments/nn_emissions.py --fold dev --arch lstm --hidden 200 --epochs 14

Folds as scripts/cv_tagger.py (A/B: halves of the training part by sentence parity; dev: every 10th sentence).
The CRF is trained with scripts/train_tagger.py's constants, O penalty 0.4. The network sees, per word: a letter
CNN (widths 2-4, 50 filters each) over the matching form, the word2vec vector of the featuriser's stem (ANT corpus,
build_clusters.py's settings, frozen), a bag of the CRF's own-word attributes (seen twice or more) and the
actor-lexicon tag; then either a window CNN (5 words, then 3) or a BiLSTM; cross-entropy, Adam, dropout 0.5.
Prints per epoch: the network alone (argmax) and the CRF + lambda x log p for several lambdas.
"""
import sys, os, time, math, random, pickle, argparse
ROOT = __import__('pathlib').Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'scripts')); sys.path.insert(0, str(ROOT / 'src'))
from pathlib import Path
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
import pycrfsuite
import train_tagger as tt
from marsad.entities.corpus import read_bio, score, split_dev
from marsad.entities.tagger import CRFModel, Decoder, default_featuriser, lexicon_word_tags, sentence_features
from marsad.text.normalise import matching_form

ap=argparse.ArgumentParser(); ap.add_argument('--fold',default='A'); ap.add_argument('--epochs',type=int,default=12)
ap.add_argument('--hidden',type=int,default=256); ap.add_argument('--proj',type=int,default=0)
ap.add_argument('--threads',type=int,default=1); ap.add_argument('--seed',type=int,default=1)
ap.add_argument('--nobag',action='store_true'); ap.add_argument('--arch',default='cnn'); ap.add_argument('--tag',default=''); ap.add_argument('--shared', type=Path, default=ROOT.parent / 'shared'); ap.add_argument('--work', type=Path, default=Path('/tmp/nn'))
args=ap.parse_args()
torch.set_num_threads(args.threads); torch.manual_seed(args.seed); random.seed(args.seed); np.random.seed(args.seed)
train, dev = split_dev(read_bio(args.shared / 'data/ner/anercorp/train.txt'), tt.DEV_EVERY)
if args.fold=='A': tr, te = train[0::2], train[1::2]
elif args.fold=='B': tr, te = train[1::2], train[0::2]
else: tr, te = train, dev
feat = default_featuriser()
args.work.mkdir(parents=True, exist_ok=True)
if not (args.work / 'w2v.npy').exists():  # build_clusters.py's word2vec, vectors kept this time
    import build_clusters as bc
    from gensim.models import Word2Vec
    w2v = Word2Vec(list(bc.stems_of_articles(args.shared / bc.ANT[0])), vector_size=bc.DIM, window=bc.WINDOW,
                   min_count=bc.MIN_COUNT, sg=1, negative=5, epochs=bc.EPOCHS, workers=1, seed=bc.SEED,
                   hashfxn=bc._hash, sample=1e-4)
    np.save(args.work / 'w2v.npy', np.stack([w2v.wv[w] for w in w2v.wv.index_to_key]).astype(np.float32))
    (args.work / 'w2v.txt').write_text("\n".join(w2v.wv.index_to_key))
W2V = {w:i+1 for i,w in enumerate((args.work / 'w2v.txt').read_text().split("\n"))}
vecs = np.load(args.work / 'w2v.npy'); vecs = vecs/np.linalg.norm(vecs,axis=1,keepdims=True)
vecs = np.concatenate([np.zeros((1,vecs.shape[1]),np.float32), vecs])

# ---- CRF for this fold (cached)
crfpath = args.work / f'crf_{args.fold}.crfsuite'
if not crfpath.exists():
    trainer = pycrfsuite.Trainer(verbose=False)
    for s in tr: trainer.append(sentence_features(feat, s.words, True), s.tags)
    trainer.set_params({"c1": tt.C1, "c2": tt.C2, "max_iterations": tt.MAX_ITERATIONS, "feature.minfreq": tt.MIN_FEATURE_FREQ,
        "feature.possible_transitions": True, "feature.possible_states": tt.POSSIBLE_STATES})
    trainer.train(str(crfpath))
model = CRFModel.read(crfpath)
o = model.labels.index("O"); model.state[model.attributes.index("b")+1, o] -= 0.4
LABELS = model.labels; L = len(LABELS); lid = {l:i for i,l in enumerate(LABELS)}
codes = {a: i+1 for i,a in enumerate(model.attributes)}
dec = Decoder(model, feat.restricted(model.known, codes))
te_batch = [(s.words, lexicon_word_tags(s.words)) for s in te]
crf_state = dec.scores(te_batch)   # words x labels
trans = model.trans

def viterbi_all(state, lengths):
    out=[]; pos=0
    for n in lengths:
        st = state[pos:pos+n]; pos+=n
        a = st[0].copy(); back=[]
        for t in range(1,n):
            m = a[:,None]+trans; b = m.argmax(0); back.append(b); a = m.max(0)+st[t]
        y=[int(a.argmax())]
        for b in reversed(back): y.append(int(b[y[-1]]))
        out.append([LABELS[i] for i in reversed(y)])
    return out
lengths=[len(s.words) for s in te]
gold=[s.tags for s in te]
base = score(gold, viterbi_all(crf_state, lengths))
print('CRF', args.fold, round(base['ALL']['f1'],4), flush=True)

# ---- NN inputs
chars = {}
def char_ids(w):
    w = matching_form(w)[:20]
    return [chars.setdefault(c, len(chars)+2) for c in w] or [1]
stem_of = lambda w: feat.word(w)[5]
own_of = lambda w: feat.word(w)[0]
from collections import Counter
attr_count = Counter(a for s in tr for w in s.words for a in own_of(w))
ATTR = {a:i+1 for i,a in enumerate([a for a,c in attr_count.items() if c>=2])}
LEX = {}
def prep(sents):
    out=[]
    for s in sents:
        lx = lexicon_word_tags(s.words)
        out.append(dict(ch=[char_ids(w) for w in s.words], w2v=[W2V.get(stem_of(w) or '',0) for w in s.words],
            bag=[[ATTR[a] for a in own_of(w) if a in ATTR] or [0] for w in s.words],
            lex=[LEX.setdefault(t, len(LEX)+1) for t in lx], y=[lid.get(t, lid['O']) for t in s.tags]))
    return out
Ptr, Pte = prep(tr), prep(te)
NCH = len(chars)+2 + 200

class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.ce = nn.Embedding(NCH, 24, padding_idx=0)
        s.cconv = nn.ModuleList([nn.Conv1d(24, 50, k, padding=k//2) for k in (2,3,4)])
        s.w2v = nn.Embedding.from_pretrained(torch.tensor(vecs), freeze=True, padding_idx=0)
        s.bag = nn.EmbeddingBag(len(ATTR)+1, 64, mode='sum', padding_idx=0)
        s.lex = nn.Embedding(len(LEX)+50, 16, padding_idx=0)
        d = 150 + 100 + (0 if args.nobag else 64) + 16
        s.proj = nn.Linear(d, args.proj) if args.proj else None
        d = args.proj or d
        s.drop = nn.Dropout(0.5)
        s.c1 = nn.Conv1d(d, args.hidden, 5, padding=2)
        s.c2 = nn.Conv1d(args.hidden, L, 3, padding=1)
        s.lstm = nn.LSTM(d, args.hidden//2, batch_first=True, bidirectional=True)
        s.out = nn.Linear(args.hidden, L)
    def words(s, ch):  # ch: (N, maxlen)
        e = s.ce(ch).transpose(1,2)
        return torch.cat([F.relu(c(e)).max(2).values for c in s.cconv], 1)
    def forward(s, b):
        x = [s.words(b['ch']), s.w2v(b['w2v'])]
        if not args.nobag: x.append(s.bag(b['bag'], b['bagoff']))
        x.append(s.lex(b['lex']))
        x = torch.cat(x,1)
        if s.proj is not None: x = torch.tanh(s.proj(x))
        x = s.drop(x)
        # scatter into (B, T, d)
        B, T = b['B'], b['T']
        X = x.new_zeros(B*T, x.shape[1]); X[b['flat']] = x
        if args.arch == 'lstm':
            h, _ = s.lstm(X.view(B,T,-1))
            return s.out(s.drop(h)).reshape(B*T, L)[b['flat']]
        X = X.view(B,T,-1).transpose(1,2)
        h = s.drop(torch.relu(s.c1(X)))
        return s.c2(h).transpose(1,2).reshape(B*T, L)[b['flat']]

def batchify(P):
    T = max(len(p['y']) for p in P); B=len(P)
    flat=[]; ch=[]; w2=[]; bag=[]; off=[]; lex=[]; y=[]
    for i,p in enumerate(P):
        for t in range(len(p['y'])):
            flat.append(i*T+t); ch.append(p['ch'][t]); w2.append(p['w2v'][t]); off.append(len(bag)); bag+=p['bag'][t]; lex.append(p['lex'][t]); y.append(p['y'][t])
    ml = max(map(len,ch)); CH = torch.zeros(len(ch), max(ml,4), dtype=torch.long)
    for i,c in enumerate(ch): CH[i,:len(c)] = torch.tensor(c)
    return dict(B=B,T=T,flat=torch.tensor(flat),ch=CH,w2v=torch.tensor(w2),bag=torch.tensor(bag),bagoff=torch.tensor(off),lex=torch.tensor(lex),y=torch.tensor(y))

net = Net(); opt = torch.optim.Adam(net.parameters(), lr=1e-3)
order = list(range(len(Ptr)))
te_batches = [batchify(Pte[i:i+256]) for i in range(0,len(Pte),256)]
def nn_logprobs():
    net.eval()
    with torch.no_grad():
        out = torch.cat([F.log_softmax(net(b),1) for b in te_batches]).numpy()
    net.train(); return out
t0=time.time()
for ep in range(args.epochs):
    random.shuffle(order); tot=0
    for i in range(0,len(order),32):
        b = batchify([Ptr[j] for j in order[i:i+32]])
        loss = F.cross_entropy(net(b), b['y'])
        opt.zero_grad(); loss.backward(); opt.step(); tot+=loss.item()
    lp = nn_logprobs()
    res = {'nn': score(gold, [[LABELS[i] for i in lp[sum(lengths[:k]):sum(lengths[:k])+n].argmax(1)] for k,n in enumerate(lengths)])['ALL']['f1']}
    for lam in (0.25, 0.5, 0.75, 1.0, 1.5):
        res[lam] = score(gold, viterbi_all(crf_state + lam*lp, lengths))['ALL']['f1']
    print(ep, round(tot,1), int(time.time()-t0), {k: round(v,4) for k,v in res.items()}, flush=True)
np.save(args.work / f'lp_{args.fold}{args.tag}.npy', lp)
