// Translate: a typed word decoded greedily by the session's seq2seq graph, with the attention it
// paid to each source letter at each output step.
import type { Project } from '../../engine/graph/schema';
import type { GraphModel } from '../../engine/runtime/compile';
import { greedyDecode, translationTask } from '../../engine/train/greedyDecode';
import { EOS, encodeToySource, toyTarget } from '../../engine/train/toyTranslation';
import type { Response } from '../../shared/api/contract';
import { SessionError } from './workerErrors';

export function translate(model: GraphModel, project: Project, text: string): Response<'session.translate'> {
  const task = translationTask(project.training.dataset);
  if (!task)
    throw new SessionError(
      'conflict',
      `Translate needs the toy translation data set ("translate"); this project trains on "${project.training.dataset.name}".`,
    );
  let ids: number[];
  try {
    ids = encodeToySource(text, task.letters, task.layout.source);
  } catch (e) {
    throw new SessionError('invalid-request', (e as Error).message);
  }
  let decoded;
  try {
    [decoded] = greedyDecode(model, task.layout, [ids]);
  } catch (e) {
    throw new SessionError('conflict', `This graph cannot translate: ${(e as Error).message}`);
  }
  const names = (t: readonly number[]) => t.map((k) => task.vocabulary[k] ?? '?');
  // Fewer tokens than decoder steps: decoding stopped at </s>, which is shown as the last output.
  const stopped = decoded.tokens.length < task.layout.target;
  return {
    source: names(ids),
    output: names(stopped ? [...decoded.tokens, EOS] : decoded.tokens),
    expected: names(toyTarget(ids, task.task)),
    attention: decoded.attention?.map((row) => row.slice(0, ids.length)) ?? null,
    task: task.task,
  };
}
