const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
// SQLSTATE class 08 (connection exception) and 57P01-57P03 (server shutting down / not yet accepting).
const SQLSTATE = /^(08\d{3}|57P0[123])$/;
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Connection is not established|the database system is (starting up|shutting down)|Client has encountered a connection error/i;

/** True when an error says the database cannot be reached (as opposed to a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth += 1) {
    const { code, message, driverError, cause } = current as {
      code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown;
    };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    current = driverError ?? cause;
  }
  return false;
}
