// The baseline of the whole-repository benchmark: find every YAML and JSON file under the folder, as
// control-lens does, and parse each with the `yaml` library alone (all documents, to plain values), nothing else.
// Usage: node baseline-parse.mjs FOLDER
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.git' && e.name !== 'node_modules') walk(p);
    } else if (/\.(ya?ml|json)$/i.test(e.name)) files.push(p);
  }
};
walk(process.argv[2]);
let documents = 0;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  for (const doc of parseAllDocuments(text, { logLevel: 'error' })) {
    try {
      doc.toJS({ maxAliasCount: 1000 });
    } catch {
      // Counted all the same: the work was done.
    }
    documents++;
  }
}
process.stdout.write(JSON.stringify({ files: files.length, documents }) + '\n');
