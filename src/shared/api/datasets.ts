import { z } from 'zod';
import { method } from './method';

export const datasetsMethods = {
  /** The bundled data sets a project can name in its training settings. */
  'datasets.list': method(
    z.object({}).strict(),
    z.object({
      datasets: z.array(
        z.object({
          name: z.string(),
          title: z.string(),
          description: z.string(),
          task: z.enum(['classification', 'regression']),
          params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
          /** Allowed values of a parameter, where only some are meaningful (a form shows a menu). */
          choices: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()]))).optional(),
        }),
      ),
    }),
  ),
  /** The first rows of a data set, as the project would load it. */
  'datasets.preview': method(
    z
      .object({
        name: z.string().min(1).max(100),
        params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
        rows: z.number().int().min(1).max(2000).optional(),
      })
      .strict(),
    z.object({
      name: z.string(),
      task: z.enum(['classification', 'regression']),
      n: z.number().int(),
      featureShape: z.array(z.number().int()),
      targetShape: z.array(z.number().int()),
      numClasses: z.number().int().nullable(),
      featureNames: z.array(z.string()).nullable(),
      rows: z.array(z.object({ x: z.array(z.number()), y: z.array(z.number()) })),
    }),
  ),
  /**
   * Checks a numeric CSV (one sample a line, the label in the last column by default) and keeps
   * a copy in the user's data folder; the answer's `dataset` goes into the project's training
   * settings. Errors name the line and column at fault.
   */
  'datasets.importCsv': method(
    z
      .object({
        content: z.string().max(64 * 1024 * 1024),
        fileName: z.string().min(1).max(200),
        task: z.enum(['classification', 'regression']).optional(),
      })
      .strict(),
    z.object({
      dataset: z.object({
        name: z.literal('csv'),
        params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
      }),
      n: z.number().int(),
      features: z.number().int(),
      numClasses: z.number().int().nullable(),
      featureNames: z.array(z.string()).nullable(),
    }),
  ),
};
