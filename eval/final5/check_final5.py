"""Check final5 QA files: ids unique, answers/evidence verbatim in source text (newlines removed)."""
import json, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, '..', '..', 'seeds')
NEWS = os.path.join(HERE, 'news')
TYPES = {"number", "date", "time", "entity", "place", "unanswerable"}
def load_dir(d):
    return {f: open(os.path.join(d, f), encoding='utf-8').read().replace('\r', '').replace('\n', '')
            for f in sorted(os.listdir(d)) if f.endswith('.txt')}
bad = 0; ids = set()
for qa, d in [('seeds_qa.jsonl', SEEDS), ('news_qa.jsonl', NEWS)]:
    texts = load_dir(d)
    rows = [json.loads(l) for l in open(os.path.join(HERE, qa), encoding='utf-8') if l.strip()]
    nun = 0; used = set()
    for r in rows:
        assert set(r) == {"id", "question", "answers", "source", "evidence", "type"}, r
        if r['id'] in ids: print('DUP id', r['id']); bad += 1
        ids.add(r['id'])
        if r['type'] not in TYPES: print('bad type', r['id']); bad += 1
        if r['type'] == 'unanswerable':
            nun += 1
            if r['answers'] or r['source'] is not None or r['evidence'] is not None:
                print('bad unanswerable', r['id']); bad += 1
            continue
        t = texts.get(r['source'])
        if t is None: print('no source', r['id'], r['source']); bad += 1; continue
        used.add(r['source'])
        if not r['answers']: print('no answers', r['id']); bad += 1
        for a in r['answers']:
            if a not in t: print('answer not in source', r['id'], a); bad += 1
        if r['evidence'] not in t: print('evidence not in source', r['id'], r['evidence']); bad += 1
        if r['answers'][0] not in r['evidence']: print('note: first answer not in evidence', r['id'])
    print(f"{qa}: {len(rows)} rows, {nun} unanswerable, sources used {len(used)}/{len(texts)}")
print('ids unique:', len(ids), 'problems:', bad)
sys.exit(1 if bad else 0)
