import { dirname, resolve } from 'node:path';
import { compileGraph } from '../../engine/runtime/compile';
import { datasetRefProblem } from '../../engine/train/datasets';
import { csvDatasetProblem } from '../../host/data/datasetFiles';
import type { Command } from '../command';
import { readProject } from '../io';

export const validateCommand: Command = {
  name: 'validate',
  usage: 'validate PROJECT',
  summary: 'check a project file; prints the issues as JSON, exit 1 when it has errors',
  options: {},
  positionals: ['PROJECT'],
  run: ({ positionals }, out) => {
    const path = positionals[0];
    const { project, issues: loadIssues } = readProject(path);
    // Memory is counted at the training batch size, as `train` and the app will run it.
    const r = compileGraph(project.graph, { batchSize: project.training.batchSize });
    // The data set is checked too (without reading it): an unknown name or setting, a missing
    // file, a device, a FIFO or a file over the size cap would otherwise pass here and fail only
    // when training starts.
    const dataset = project.training.dataset;
    const dataProblem = datasetRefProblem(dataset) ?? csvDatasetProblem(dataset, dirname(resolve(path)));
    const errors = [
      ...(r.ok ? [] : r.issues),
      ...(dataProblem === null ? [] : [{ severity: 'error' as const, code: 'dataset', message: dataProblem }]),
    ];
    const warnings = r.analysis.issues.filter((i) => i.severity === 'warning');
    out.stdout(JSON.stringify({ valid: errors.length === 0, errors, warnings, loadIssues }));
    if (errors.length > 0)
      out.stderr(`${path}: ${errors.length} error${errors.length > 1 ? 's' : ''}; the first: ${errors[0].message}`);
    return errors.length === 0 ? 0 : 1;
  },
};
