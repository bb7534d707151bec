// Test fixture for atomicWrite.test.ts: saves self-checking documents to argv[2] in a loop
// until the parent kills this process with SIGKILL. It reports 'saved' after every completed
// save: from the first on the target has a backup, so a kill at any later point is fair.
import { writeFileAtomic } from '../atomicWrite';
import { makeCheckedDocument } from './checkedDocument';

const target = process.argv[2];
if (!target) throw new Error('usage: saveLoop.ts TARGET');
let i = Number(process.argv[3] ?? 0);
await writeFileAtomic(target, makeCheckedDocument(i++));
process.send?.('saved');
for (;;) {
  await writeFileAtomic(target, makeCheckedDocument(i++));
  process.send?.('saved');
}
