import type { z } from 'zod';

/** One API method: the zod schemas of its request and response. */
export interface MethodSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
}

export function method<Req extends z.ZodType, Res extends z.ZodType>(
  request: Req,
  response: Res,
): MethodSpec<Req, Res> {
  return { request, response };
}
