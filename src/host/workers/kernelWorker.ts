// Entry of a kernel worker thread: sleeps on the pool's control block, runs chunks of range
// kernels (the very functions of src/engine/parallel/rangeKernels) on shared arrays.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { getRangeKernel } from '../../engine/kernels/rangeKernels';
import { claimChunk, finishChunk, FAILED, SEQ, SHUTDOWN } from './kernelProtocol';
import type { TaskMessage } from './kernelProtocol';

const { ctrl, port } = workerData as { ctrl: Int32Array; port: MessagePort };

function latestTask(): TaskMessage | null {
  let latest: TaskMessage | null = null;
  for (;;) {
    const m = receiveMessageOnPort(port);
    if (m === undefined) return latest;
    latest = m.message as TaskMessage;
  }
}

function loop(): void {
  let seen = Atomics.load(ctrl, SEQ);
  parentPort?.postMessage('ready');
  for (;;) {
    Atomics.wait(ctrl, SEQ, seen);
    if (Atomics.load(ctrl, SHUTDOWN) !== 0) return;
    seen = Atomics.load(ctrl, SEQ);
    // The task message was posted before SEQ was bumped, so it is already queued.
    const task = latestTask();
    if (task === null || task.seq !== seen) continue;
    const kernel = getRangeKernel(task.kernel);
    const chunks = Math.ceil(task.rows / task.chunkRows);
    for (let c = claimChunk(ctrl, task.seq, chunks); c >= 0; c = claimChunk(ctrl, task.seq, chunks)) {
      const r0 = c * task.chunkRows;
      const r1 = Math.min(task.rows, r0 + task.chunkRows);
      try {
        if (r1 > r0) kernel(task.arrays, task.scalars, r0, r1);
      } catch (err) {
        port.postMessage({ type: 'error', seq: task.seq, message: err instanceof Error ? err.message : String(err) });
        Atomics.store(ctrl, FAILED, 1);
      }
      finishChunk(ctrl);
    }
  }
}

loop();
port.close();
