import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import { Agent, type Dispatcher } from 'undici';

const answering = new AsyncLocalStorage<ServerResponse>();

/** Runs `forward` (which starts the upstream call) knowing which client answer it is for. */
export function forClient<T>(response: ServerResponse, forward: () => T): T {
  return answering.run(response, forward);
}

type Abort = (reason?: Error) => void;

/**
 * The upstream pool, with one addition: an upstream call started for a client whose connection
 * closes before its answer was written is aborted, so a backend stops working (and a pooled
 * socket is freed) for nobody.
 */
export function abortingAgent(options: Agent.Options): Dispatcher {
  return new Agent(options).compose((dispatch) => (opts, handler) => {
    const response = answering.getStore();
    if (!response) return dispatch(opts, handler);
    const watch = (abort: Abort) => {
      const gone = () => {
        if (!response.writableFinished) abort(new Error('the client closed the connection'));
      };
      if (response.destroyed) gone();
      else response.once('close', gone);
    };
    const wrapped = new Proxy(handler, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property === 'onConnect' && typeof value === 'function') {
          return (abort: Abort, context: unknown) => (watch(abort), value.call(target, abort, context));
        }
        if (property === 'onRequestStart' && typeof value === 'function') {
          return (controller: { abort: Abort }, context: unknown) => (watch((reason) => controller.abort(reason)), value.call(target, controller, context));
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return dispatch(opts, wrapped);
  });
}
