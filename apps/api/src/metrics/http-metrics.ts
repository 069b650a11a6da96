import type { NextFunction, Request, Response } from 'express';
import type { LedgerMetrics } from './metrics.registry';

/**
 * Express middleware, put first: times every request until its answer is sent, labelled by
 * the route template Express matched (`/figures/:figureId/explain`), or `unmatched` (404s, and
 * requests refused before routing: 413, malformed JSON).
 */
export function httpMetrics(metrics: LedgerMetrics): (request: Request, response: Response, next: NextFunction) => void {
  return (request, response, next) => {
    const end = metrics.httpDuration.startTimer({ method: request.method });
    response.once('finish', () => {
      // A catch-all (`/{*path}`: the middleware Nest mounts for every path) is no route of the API.
      // Express types `route` as any: read as unknown, then checked.
      const layer: unknown = request.route;
      const route = typeof layer === 'object' && layer !== null && 'path' in layer ? layer.path : undefined;
      const matched = typeof route === 'string' && !route.includes('*');
      end({ route: matched ? `${request.baseUrl}${route}` : 'unmatched', status: String(response.statusCode) });
    });
    next();
  };
}
