"""Experiment (not part of the product): K CRFs, each trained on the training part less one K-th of it (or on a
bootstrap sample, --mode bootstrap), their weights averaged into one linear model (labels aligned; no run-time
cost: still one CRF). Scored on the fold as scripts/cv_tagger.py does, with and without the O penalty.

    python scripts/experiments/bagged_crf.py --fold dev --k 5
    python scripts/experiments/bagged_crf.py --fold dev --k 10
"""
import sys, argparse, tempfile
from pathlib import Path
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'scripts')); sys.path.insert(0, str(ROOT / 'src'))
import numpy as np, pycrfsuite
from multiprocessing import get_context
import train_tagger as tt
from marsad.entities.corpus import read_bio, score, split_dev
from marsad.entities.tagger import CRFModel, Decoder, default_featuriser, lexicon_word_tags, sentence_features
ap=argparse.ArgumentParser(); ap.add_argument('--fold',default='dev'); ap.add_argument('--k',type=int,default=5)
ap.add_argument('--c1',type=float,default=tt.C1); ap.add_argument('--c2',type=float,default=tt.C2); ap.add_argument('--mode',default='leaveout')
ap.add_argument('--shared', type=Path, default=ROOT.parent / 'shared'); ap.add_argument('--work', type=Path, default=Path(tempfile.gettempdir()) / 'marsad-bagged')
args=ap.parse_args()
train, dev = split_dev(read_bio(args.shared / 'data/ner/anercorp/train.txt'), 10)
if args.fold=='A': tr, te = train[0::2], train[1::2]
elif args.fold=='B': tr, te = train[1::2], train[0::2]
else: tr, te = train, dev
feat=default_featuriser()
W=args.work / f'{args.fold}_{args.mode}_{args.k}_{args.c1}_{args.c2}'; W.mkdir(parents=True, exist_ok=True)
def job(i):
    p=W/f'm{i}.crfsuite'
    if p.exists(): return str(p)
    if args.mode=='leaveout': sub=[s for j,s in enumerate(tr) if j % args.k != i]
    else:
        rng=np.random.RandomState(i); sub=[tr[j] for j in rng.randint(0,len(tr),len(tr))]
    t=pycrfsuite.Trainer(verbose=False)
    for s in sub: t.append(sentence_features(feat, s.words, True), s.tags)
    t.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": tt.MAX_ITERATIONS, "feature.minfreq": tt.MIN_FEATURE_FREQ,
        "feature.possible_transitions": True, "feature.possible_states": tt.POSSIBLE_STATES})
    t.train(str(p)); return str(p)
with get_context("fork").Pool(2) as pool: paths=pool.map(job, range(args.k))
models=[CRFModel.read(Path(p)) for p in paths]
labels=models[0].labels
for m in models:  # CRFsuite numbers labels in order of first sight: align every model's columns to the first's
    perm=[m.labels.index(l) for l in labels]
    m.state=m.state[:,perm]; m.trans=m.trans[np.ix_(perm,perm)]; m.labels=list(labels)
attrs=sorted(set().union(*[m.known for m in models]))
idx={a:i+1 for i,a in enumerate(attrs)}
class M: pass
avg=M(); avg.labels=labels; avg.attributes=attrs; avg.known=frozenset(attrs)
avg.state=np.zeros((len(attrs)+1,len(labels))); avg.trans=np.zeros((len(labels),len(labels)))
for m in models:
    pos={a:i+1 for i,a in enumerate(m.attributes)}
    ks=[a for a in m.known]; avg.state[[idx[a] for a in ks]] += m.state[[pos[a] for a in ks]]
    avg.trans += m.trans
avg.state/=len(models); avg.trans/=len(models)
batch=[(s.words, lexicon_word_tags(s.words)) for s in te]; gold=[s.tags for s in te]
def ev(model, pen):
    st=model.state.copy(); o=labels.index("O"); b=idx.get("b") if model is avg else model.attributes.index("b")+1
    model2=M(); model2.__dict__.update(model.__dict__); model2.state=st; st[b,o]-=pen
    codes={a:i+1 for i,a in enumerate(model2.attributes)}
    d=Decoder(model2, feat.restricted(model2.known, codes)); return score(gold, d.tag(batch))['ALL']['f1']
for pen in (0.0, 0.4):
    single=[round(ev(m,pen),4) for m in models]
    print(args.fold, args.mode, args.k, args.c1, args.c2, 'pen',pen,'singles',single,'avg',round(ev(avg,pen),4),'attrs',len(attrs),'vs',[len(m.known) for m in models], flush=True)
