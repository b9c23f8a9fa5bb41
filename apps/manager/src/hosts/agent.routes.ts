// The host agent's API: authenticated by a host token only (config.agent),
// answering before setup too, so the agent learns that the gate is closed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AgentPortsReport, AgentState } from '@farm/contracts';
import { NoContent, errors } from '../http/schemas.js';
import type { AgentHost } from '../http/fastify-types.js';
import { AppError } from '../errors/app-error.js';
import type { AgentService } from './agent.service.js';

function hostOf(request: { agentHost: AgentHost | null }): AgentHost {
  // The guard sets it on every agent route; its absence is a wiring bug, refused all the same.
  if (!request.agentHost) throw new AppError('unauthenticated');
  return request.agentHost;
}

export function agentRoutes({ agent }: { agent: AgentService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/agent/state',
      {
        config: { agent: true, beforeSetup: true },
        schema: {
          operationId: 'agent.state',
          tags: ['agent'],
          response: { 200: AgentState, ...errors() },
        },
      },
      async (request) => agent.state(hostOf(request)),
    );

    app.put(
      '/api/agent/ports',
      {
        config: { agent: true, beforeSetup: true },
        schema: {
          operationId: 'agent.reportPorts',
          tags: ['agent'],
          body: AgentPortsReport,
          response: { 204: NoContent, ...errors() },
        },
      },
      async (request, reply) => {
        await agent.reportPorts(hostOf(request), request.body, { ip: request.ip, requestId: request.id });
        return reply.status(204).send(null);
      },
    );
  };
}
