import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problemType, REQUEST_ID_HEADER } from '#platform';

const STATUS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

/**
 * A request Node's parser refuses (bad syntax, Transfer-Encoding with Content-Length, an invalid
 * header) never reaches a route: it is answered here, 400 problem+json with a request id, and the
 * connection closed, so nothing after it on the socket is read as a request (no smuggling).
 */
export function answerClientErrors(server: Server): void {
  server.removeAllListeners('clientError');
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, title] = STATUS[error.code ?? ''] ?? [400, 'Bad Request'];
    const requestId = randomUUID();
    const body = JSON.stringify({
      type: problemType(title),
      title,
      status,
      detail: 'The proxy could not read this request as HTTP/1.1',
      requestId,
      code: 'PROXY.MALFORMED_REQUEST',
    });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${REQUEST_ID_HEADER}: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
