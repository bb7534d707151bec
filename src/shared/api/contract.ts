import type { z } from 'zod';
import { appEvents, appMethods, dialogMethods } from './app';
import { customNodeMethods } from './customNode';
import type { MethodSpec } from './method';
import { examplesMethods } from './examples';
import { exportMethods } from './export';
import { graphMethods } from './graph';
import { projectsMethods } from './projects';
import { datasetsMethods } from './datasets';
import { sessionEvents, sessionMethods } from './session';
import { trainingEvents, trainingMethods } from './training';

/**
 * Every method any process may call, keyed by channel, and every event the host may send.
 * Nothing else crosses a process boundary. Add a service by spreading its methods here.
 */
export const apiMethods = {
  ...appMethods,
  ...dialogMethods,
  ...projectsMethods,
  ...examplesMethods,
  ...graphMethods,
  ...customNodeMethods,
  ...exportMethods,
  ...datasetsMethods,
  ...sessionMethods,
  ...trainingMethods,
} satisfies Record<string, MethodSpec>;

export const apiEvents = {
  ...appEvents,
  ...sessionEvents,
  ...trainingEvents,
} satisfies Record<string, z.ZodType>;

export type ApiMethods = typeof apiMethods;
export type Channel = keyof ApiMethods;
export type Request<C extends Channel> = z.input<ApiMethods[C]['request']>;
export type ParsedRequest<C extends Channel> = z.output<ApiMethods[C]['request']>;
export type Response<C extends Channel> = z.output<ApiMethods[C]['response']>;

export type ApiEvents = typeof apiEvents;
export type EventName = keyof ApiEvents;
export type EventPayload<E extends EventName> = z.output<ApiEvents[E]>;

/** The channels of a step session: its own and its training's (src/host/services/session.ts serves them). */
export type SessionChannel = keyof typeof sessionMethods | keyof typeof trainingMethods;
export const sessionChannels = [...Object.keys(sessionMethods), ...Object.keys(trainingMethods)] as SessionChannel[];

export const apiChannels: readonly Channel[] = Object.keys(apiMethods) as Channel[];
export const apiEventNames: readonly EventName[] = Object.keys(apiEvents) as EventName[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(apiMethods, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(apiEvents, value);
}
