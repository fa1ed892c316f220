# The python-json trace: build a list of records, serialise it to JSON, parse it back, summarise.
# Captured with PYTHONMALLOC=malloc so that CPython's small-object allocator steps aside and
# every object goes through malloc/free/realloc.
import json
import random

random.seed(1)
docs = []
for i in range(420):
    docs.append(
        {
            "id": i,
            "name": "item-%d" % i,
            "tags": ["t%d" % (i % 17), "x" * (i % 40)],
            "values": [random.random() for _ in range(i % 25)],
            "nested": {"a": i, "b": str(i) * 3},
        }
    )
text = json.dumps(docs)
back = json.loads(text)
print(len(text), sum(len(d["values"]) for d in back))
