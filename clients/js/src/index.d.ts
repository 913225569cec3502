// Types of event-streamer-client (src/index.js). Written by hand: keep in step with index.js.
//
// EventStreamClient<M> takes an event map such as the EventStreamerEventMap that
// `bin/event-streamer --print-schema --format typescript` (or GET /api/schema?format=typescript)
// generates: { 'scheduler': SchedulerEvent; 'scheduler:schedule-executed': SchedulerScheduleExecutedEvent; ... }.
// Without one (M = {}), every key is accepted and events are StreamEvent.

/** The connection's state; see docs/client-js.md. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** An event as the server sends it (the `event` message of docs/protocol.md). */
export interface StreamEvent<Category extends string = string, Type extends string = string, Data = any> {
  type: 'event';
  /** Unique and increasing within its category, e.g. "1764108651123-42". */
  id: string;
  category: Category;
  /** The event type, e.g. "schedule-executed". */
  event: Type;
  /** When the server accepted the event (ISO-8601, UTC). */
  timestamp: string;
  data: Data;
  /** The id of this client as the server knows it. */
  clientId?: string;
}

/** Why events were missed. The client passes on reasons it doesn't know as well. */
export type GapReason =
  | 'history-expired'
  | 'epoch-changed'
  | 'unknown-id'
  | 'broker-unavailable'
  | 'overflow'
  | 'read-ahead-overflow'
  | (string & {});

/** Events of a category were missed and will not be delivered: reload that category's state. */
export interface Gap {
  type: 'gap';
  category: string;
  reason: GapReason;
  timestamp?: string;
  /** How many events were missed, when known. */
  missed?: number;
  /** Failed resume: the id the client resumed after. */
  lastId?: string | null;
  /** Failed resume: the stream continues after this id (null when nothing was published yet). */
  continuesFrom?: string | null;
  /** overflow, read-ahead-overflow: the first and last id dropped. */
  firstMissed?: string;
  lastMissed?: string;
  /** overflow: the id before the first one dropped. */
  resumeFrom?: string | null;
  [field: string]: unknown;
}

/** The `data` of an `error` message from the server, or of the client's own 'token-unavailable'. */
export interface ServerError {
  /** Stable, for programs: e.g. 'unknown-category', 'capacity-exceeded', 'token-expired'. */
  code: string;
  /** For people; may change. */
  error: string;
  [field: string]: unknown;
}

/** Passed to 'state' listeners with each failed or lost connection. */
export interface StateDetail {
  /** The close code (1006 when the connection failed or the client gave it up). */
  code: number;
  reason: string;
  /** Milliseconds until the next attempt. */
  delay: number;
}

/** Where the resume point is kept across page loads: sessionStorage, localStorage or alike. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Or a pair of callbacks: category to the id of the last event delivered. */
export interface ResumeStore {
  load(): Record<string, string> | null | undefined;
  save(lastIds: Record<string, string>): void;
}

/** A WebSocket class: the browser's, Node's global one, or the ws package's. */
export interface WebSocketConstructor {
  new (url: string): unknown;
}

// Keeps M from being inferred from the options (it comes only from the type argument); the
// classic form of TypeScript 5.4's NoInfer, for older compilers too.
type Fixed<T> = [T][T extends any ? 0 : never];
type Untyped<M> = {} extends M ? true : false;
type Categories<M> = Untyped<M> extends true ? string : Exclude<keyof M & string, `${string}:${string}`>;
/** Any event of the map M (StreamEvent without a map). */
export type AnyEvent<M> = Untyped<M> extends true ? StreamEvent : M[keyof M];
/** Any message from the server, as it came (docs/protocol.md). */
export interface ServerMessage {
  type: string;
  timestamp?: string;
  data?: any;
  [field: string]: unknown;
}
interface Reserved<M> {
  event: AnyEvent<M>;
  gap: Gap;
  state: ConnectionState;
  error: ServerError;
  message: ServerMessage;
}
/** The keys of on(): 'event', 'gap', 'state', 'error', 'message', and the map's category and category:type keys. */
export type ListenerKey<M> = keyof Reserved<M> | (Untyped<M> extends true ? string : keyof M & string);
/** What a listener of `K` receives. */
export type ListenerArgument<M, K> = K extends keyof Reserved<M>
  ? Reserved<M>[K]
  : K extends keyof M
    ? M[K]
    : StreamEvent;
/** The keys of events(): a category or category:type of the map. */
export type EventKey<M> = Untyped<M> extends true ? string : keyof M & string;

export interface BackoffOptions {
  /** Milliseconds; default 250. */
  min?: number;
  /** Milliseconds; default 30000. */
  max?: number;
}

export interface EventStreamClientOptions<M = {}> {
  /** Categories to subscribe to. Default: none (use subscribe()). */
  categories?: readonly Categories<M>[] | Categories<M>;
  /** 1 to 128 characters, shown in the server's status. Default: the server names it. */
  clientId?: string;
  /** A JWT sent with each subscribe. */
  token?: string;
  /** Called for a token before each connection and when the server warns of expiry. */
  getToken?: () => string | Promise<string>;
  /** Resume after the last delivered event on reconnect. Default: true. */
  resume?: boolean;
  /** Reconnect delays: full jitter in [0, min(max, min * 2^failures)]. */
  backoff?: BackoffOptions;
  /** Keep the resume point there, so that a page reload resumes. Default: memory only. */
  storage?: StorageLike | ResumeStore;
  /** The key in storage. Default: 'event-streamer-client:' + (clientId or url). */
  storageKey?: string;
  /** The WebSocket class. Default: globalThis.WebSocket. */
  WebSocket?: WebSocketConstructor;
  /** The server's event-streamer.heartbeat-interval, milliseconds. Default: 30000. */
  heartbeatInterval?: number;
  /** Silence after which the connection is dropped as dead, milliseconds. Default: 2 * heartbeatInterval. */
  deadConnectionTimeout?: number;
  /** Limit for opening a connection, and again for the answer to subscribe, milliseconds. Default: 10000. */
  connectTimeout?: number;
  /** Source of the jitter, returning [0, 1). Default: Math.random. */
  random?: () => number;
}

export interface EventsOptions {
  /** Events held for a slow reader; beyond it the oldest is dropped for a gap. Default: 1000. */
  readAhead?: number;
}

/** Events and gaps, in order; see EventStreamClient.events(). */
export interface EventIterator<T> extends AsyncIterableIterator<T> {
  next(): Promise<IteratorResult<T, undefined>>;
  return(): Promise<IteratorResult<T, undefined>>;
}

export declare class EventStreamClient<M = {}> {
  /** Connects at once (in a microtask, after listeners added in the same tick). */
  constructor(url: string | URL, options?: EventStreamClientOptions<Fixed<M>>);

  /** 'connecting', 'open', 'reconnecting' or 'closed'. */
  readonly state: ConnectionState;
  /** The categories asked for, in order. */
  readonly categories: string[];

  /**
   * Adds a listener for 'event', a category, 'category:event-type', 'gap', 'state', 'error' or
   * 'message' (every server message as it came, after the client acted on it).
   * Returns a function that removes it.
   */
  on<K extends ListenerKey<M>>(
    key: K,
    listener: K extends 'state'
      ? (state: ConnectionState, detail?: StateDetail) => void
      : (argument: ListenerArgument<M, K>) => void,
  ): () => void;

  /** Adds categories (subscribed at once on a live connection). */
  subscribe(categories: Categories<M> | readonly Categories<M>[]): void;
  /** Removes categories and forgets their resume points. */
  unsubscribe(categories: Categories<M> | readonly Categories<M>[]): void;

  /** Every event and gap, in order, reading ahead at most options.readAhead events. */
  events(key?: undefined, options?: EventsOptions): EventIterator<AnyEvent<M> | Gap>;
  /** The events of a category or category:type and that category's gaps, in order. */
  events<K extends EventKey<M>>(key: K, options?: EventsOptions): EventIterator<ListenerArgument<M, K> | Gap>;

  /** Category to the id of the last event delivered (or where the server said it started). */
  lastEventIds(): Record<string, string>;

  /** Closes with 1000 and stops reconnecting; iterators end. */
  close(): void;
}
