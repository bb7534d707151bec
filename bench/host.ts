// The host suite of `npm run bench` (issue 6): the kernel pool's matmul speed-up and measured
// inline/pool threshold, and the event-loop delay of the API thread while the digits CNN trains.
import { hostEventLoopBench } from './hostEventLoop';
import { hostKernelPoolBench } from './hostKernelPool';

export async function runHostBench(log: (record: Record<string, unknown>) => void): Promise<void> {
  await hostKernelPoolBench(log);
  await hostEventLoopBench(log);
}
