// The host suite of `npm run bench` (issue 6): the kernel pool's matmul speed-up and measured
// inline/pool threshold, the event-loop delay of the API thread while the digits CNN trains, and
// the app's training throughput against the CLI's (issue 13).
import { hostEventLoopBench } from './hostEventLoop';
import { hostKernelPoolBench } from './hostKernelPool';
import { trainingThroughputBench } from './trainingThroughput';

export async function runHostBench(log: (record: Record<string, unknown>) => void): Promise<void> {
  await hostKernelPoolBench(log);
  await hostEventLoopBench(log);
  await trainingThroughputBench(log);
}
