import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError, type GraphQLError } from 'graphql';

const MARKER = '\u2063hookgraph:pre-serialized\u2063';
let pending: readonly string[] | null = null;
/** The most messages one step of a subscription sends: the rest of a backlog waits for the next step. */
const MAX_MESSAGES_PER_STEP = 64;

/**
 * Results serialized once and sent as they are to every subscriber that asked for the same
 * thing. graphql-ws builds each `{"id":…,"type":"next","payload":…}` with JSON.stringify
 * and hands the string to the socket in the same tick: `toJSON` leaves a marker as the
 * payload and keeps the JSON aside, and the socket (src/server/graphql-ws-socket.ts)
 * splices it in with `PreSerialized.splice`. Several payloads make as many messages, in
 * their order: a subscriber's waiting backlog goes out in one step of graphql-ws's loop.
 */
export class PreSerialized {
  /** How a message built around a PreSerialized payload ends. */
  static readonly TAIL = `${JSON.stringify(MARKER)}}`;

  constructor(readonly payloads: readonly string[]) {}

  toJSON(): string {
    pending = this.payloads;
    return MARKER;
  }

  /** The outgoing messages: one per pre-serialized payload in place of the marker, or the message itself. */
  static splice(message: string): readonly string[] {
    const payloads = pending;
    pending = null;
    if (payloads === null || !message.endsWith(PreSerialized.TAIL)) return [message];
    const head = message.slice(0, -PreSerialized.TAIL.length);
    return payloads.map((json) => head + json + '}');
  }
}

const SERIALIZED = Symbol('hookgraph.serialized');

export type SharedResult = ExecutionResult & { [SERIALIZED]: PreSerialized };

export function isSharedResult(result: ExecutionResult): result is SharedResult {
  return SERIALIZED in result;
}

export function preSerializedOf(result: SharedResult): PreSerialized {
  return result[SERIALIZED];
}

export interface SharedSubscribeOptions {
  /** What makes two subscriptions' results identical besides the document (e.g. the role). */
  audienceOf(contextValue: unknown): string;
  /** A fresh context for one event's execution (per-request loaders must not live for hours). */
  contextFor(contextValue: unknown): unknown;
  formatError(error: GraphQLError): GraphQLFormattedError;
}

/**
 * graphql's `subscribe`, except that each event is executed and serialized once per
 * distinct (operation, variables, audience) rather than once per subscriber: all
 * subscribers of a topic receive the same message object, and the results are cached
 * on it (a WeakMap entry that dies with the message).
 */
export function createSharedSubscribe(options: SharedSubscribeOptions) {
  const cache = new WeakMap<object, Map<string, Promise<SharedResult>>>();

  const resultFor = (payload: object, key: string, args: ExecutionArgs): Promise<SharedResult> => {
    let perPayload = cache.get(payload);
    if (!perPayload) {
      perPayload = new Map();
      cache.set(payload, perPayload);
    }
    let result = perPayload.get(key);
    if (!result) {
      result = Promise.resolve(execute({ ...args, rootValue: payload, contextValue: options.contextFor(args.contextValue) })).then((executed) => {
        const { errors, ...rest } = executed;
        const body = errors ? { ...rest, errors: errors.map(options.formatError) } : rest;
        return { ...executed, [SERIALIZED]: new PreSerialized([JSON.stringify(body)]) };
      });
      perPayload.set(key, result);
    }
    return result;
  };

  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream;
    const source = stream[Symbol.asyncIterator]();
    const key = [options.audienceOf(args.contextValue), args.operationName ?? '', print(args.document), JSON.stringify(args.variableValues ?? {})].join('\n');
    // Hand-written rather than an async generator: return() must end a pending next()
    // at once (a generator would wait for the next event before cleaning up).
    const iterator: AsyncIterableIterator<ExecutionResult> = {
      next: async () => {
        const step = await source.next();
        if (step.done) return { value: undefined, done: true };
        const waiting = isBuffered(source) ? source.takeBuffered(MAX_MESSAGES_PER_STEP - 1) : [];
        if (waiting.length === 0) return { value: await resultFor(step.value as object, key, args), done: false };
        const results = await Promise.all([step.value, ...waiting].map((payload) => resultFor(payload as object, key, args)));
        return { value: inOneStep(results), done: false };
      },
      return: async () => {
        await source.return?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  };
}

/** A source whose waiting items can be taken at once (the hub's BoundedQueue implements it). */
export interface BufferedSource {
  takeBuffered(max: number): unknown[];
}

function isBuffered(source: object): source is BufferedSource {
  return typeof (source as Partial<BufferedSource>).takeBuffered === 'function';
}

/** Several events' results as one step: the first's fields, every payload in order. */
function inOneStep(results: SharedResult[]): SharedResult {
  const payloads = results.flatMap((result) => result[SERIALIZED].payloads);
  return { ...results[0]!, [SERIALIZED]: new PreSerialized(payloads) };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
