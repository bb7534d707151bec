// Test fixture for atomicWrite.test.ts: saves self-checking documents to argv[2] in a loop
// until the parent kills this process with SIGKILL.
import { writeFileAtomic } from '../atomicWrite';
import { makeCheckedDocument } from './checkedDocument';

const target = process.argv[2];
if (!target) throw new Error('usage: saveLoop.ts TARGET');
let i = Number(process.argv[3] ?? 0);
process.send?.('ready');
for (;;) {
  await writeFileAtomic(target, makeCheckedDocument(i++));
}
