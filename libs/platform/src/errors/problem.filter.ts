import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { toProblem } from './problem-mapper.js';

/** The one place where errors become HTTP responses. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { problem, headers, unexpected } = toProblem(error, {
      instance: request.url.split('?')[0] ?? request.url,
      requestId: String(request.id),
    });
    if (unexpected) {
      this.logger.error({ err: error, requestId: request.id, route: request.routeOptions?.url }, 'unexpected error');
    }
    if (reply.sent) return;
    reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
  }
}
