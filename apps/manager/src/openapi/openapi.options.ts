import type { SwaggerOptions } from '@fastify/swagger';
import { needsStepUp } from '../http/guard.js';

/** Each operation's description says who may call it, from the route's own declaration. */
function accessNote(config: {
  public?: boolean;
  requires?: readonly string[];
  stepUp?: boolean;
  sessionOnly?: boolean;
  agent?: boolean;
  metricsToken?: boolean;
}) {
  if (config.public) return 'Public.';
  if (config.agent) return 'Host agents only, with their host token (Authorization: Bearer fh_…).';
  const who = config.requires?.length ? `Requires ${config.requires.join(', ')}.` : 'Any signed-in principal.';
  const stepUp = needsStepUp(config) ? ' Needs step-up within 5 minutes (people only).' : '';
  const session = config.sessionOnly ? ' Sessions only, not API keys.' : '';
  const scrape = config.metricsToken ? ' Or the metrics scrape token (Authorization: Bearer).' : '';
  return `${who}${stepUp}${session}${scrape}`;
}

export const OPENAPI_OPTIONS: SwaggerOptions = {
  openapi: {
    openapi: '3.0.3',
    info: { title: 'Print farm manager API', version: '1' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'farm_session' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        hostToken: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { apiKey: [] }],
  },
  // Shared schemas keep their $id as their name in components.schemas.
  refResolver: {
    buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
  },
  transform: ({ schema, url, route }) => {
    const config = (route.config ?? {}) as Parameters<typeof accessNote>[0];
    const base = (schema ?? {}) as Record<string, unknown>;
    return {
      schema: {
        ...base,
        description: accessNote(config),
        ...(config.public ? { security: [] } : {}),
        ...(config.agent ? { security: [{ hostToken: [] }] } : {}),
      } as typeof schema,
      url,
    };
  },
};
