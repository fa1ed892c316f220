// The node-json trace: build records, JSON-serialise and gzip them, then unzip and parse them
// back. Node's own start-up (V8, ICU, the module loader) makes most of its malloc calls; the
// capture keeps the first operations only (see ../README.md).
import { gunzipSync, gzipSync } from 'node:zlib';

const docs = [];
for (let i = 0; i < 2000; i++) {
  docs.push({ id: i, name: `item-${i}`, values: Array.from({ length: i % 25 }, (_, k) => k * i) });
}
const text = JSON.stringify(docs);
const packed = gzipSync(text);
const back = JSON.parse(gunzipSync(packed).toString());
console.log(text.length, packed.length, back.length);
