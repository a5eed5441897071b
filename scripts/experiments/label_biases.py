"""Experiment (not part of the product): label biases at decoding, a grid over the O penalty and a bias for each
entity type's B-/I- labels, scored in 2-fold CV inside the training part (as scripts/cv_tagger.py) and on dev.
Prints the 12 best settings by CV mean and the shipped one (O penalty 0.4, no type bias).

    python scripts/experiments/label_biases.py [--work DIR]
"""
import argparse, sys, itertools, tempfile
from pathlib import Path
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'scripts')); sys.path.insert(0, str(ROOT / 'src'))
import numpy as np, pycrfsuite
from multiprocessing import get_context
import train_tagger as tt
from marsad.entities.corpus import read_bio, score, split_dev
from marsad.entities.tagger import CRFModel, Decoder, default_featuriser, lexicon_word_tags, sentence_features
ap = argparse.ArgumentParser(); ap.add_argument('--shared', type=Path, default=ROOT.parent / 'shared')
ap.add_argument('--work', type=Path, default=Path(tempfile.gettempdir()) / 'marsad-biases'); args = ap.parse_args()
args.work.mkdir(parents=True, exist_ok=True)
train, dev = split_dev(read_bio(args.shared / 'data/ner/anercorp/train.txt'), tt.DEV_EVERY)
folds={'A':(train[0::2],train[1::2]),'B':(train[1::2],train[0::2]),'dev':(train,dev)}
feat=default_featuriser()
def job(name):
    p=args.work / f'crf_{name}.crfsuite'
    if p.exists(): return
    tr,_=folds[name]; t=pycrfsuite.Trainer(verbose=False)
    for s in tr: t.append(sentence_features(feat, s.words, True), s.tags)
    t.set_params({"c1": tt.C1, "c2": tt.C2, "max_iterations": tt.MAX_ITERATIONS, "feature.minfreq": tt.MIN_FEATURE_FREQ,
        "feature.possible_transitions": True, "feature.possible_states": tt.POSSIBLE_STATES})
    t.train(str(p))
with get_context("fork").Pool(2) as pool: pool.map(job, ['A','B','dev'])
res={}
grid=list(itertools.product([0.3,0.4,0.5],[0,0.15,0.3],[0,0.15,0.3],[-0.15,0,0.15],[-0.3,0,0.3]))
for name in ('A','B','dev'):
    m=CRFModel.read(args.work / f'crf_{name}.crfsuite'); te=folds[name][1]
    codes={a:i+1 for i,a in enumerate(m.attributes)}
    d=Decoder(m, feat.restricted(m.known, codes))
    batch=[(s.words, lexicon_word_tags(s.words)) for s in te]; gold=[s.tags for s in te]
    state=d.scores(batch); base=state.copy()
    L=m.labels; col=lambda t:[i for i,l in enumerate(L) if l.endswith(t)]
    for g in grid:
        po,pp,pg,pl,pm=g
        st=base.copy(); st[:,L.index('O')]-=po
        for t,b in (('PERS',pp),('ORG',pg),('LOC',pl),('MISC',pm)):
            st[:,col(t)]+=b
        # decode with the decoder's Viterbi via a fake scores hook
        d.scores=lambda sentences, st=st: st
        pred=d.tag(batch)
        res.setdefault(g,{})[name]=score(gold,pred)['ALL']['f1']
    del d.scores
rows=sorted(res.items(), key=lambda kv:-(kv[1]['A']+kv[1]['B']))
for g,r in rows[:12]: print(g, {k:round(v,4) for k,v in r.items()}, 'cv', round((r['A']+r['B'])/2,4))
print('base', (0.4,0,0,0,0), {k:round(v,4) for k,v in res[(0.4,0,0,0,0)].items()}, 'cv', round((res[(0.4,0,0,0,0)]['A']+res[(0.4,0,0,0,0)]['B'])/2,4))
