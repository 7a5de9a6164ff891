/**
 * Close codes of the graphql-ws endpoint. 4403 and 4408 are graphql-ws's own (`CloseCode` in graphql-ws);
 * the others are ours, in the 4000–4999 range the WebSocket spec leaves to applications.
 */
export enum CloseCode {
  /** connection_init without a valid credential, or the credential expired or was revoked. */
  Forbidden = 4403,
  /** No connection_init within the initialisation timeout. */
  ConnectionInitialisationTimeout = 4408,
  /** The socket's unsent data passed the limit: the client reads slower than events arrive. */
  SlowConsumer = 4413,
  /** The tenant already holds as many connections as allowed. */
  TooManyConnections = 4429,
  /** The gateway is shutting down; reconnect (to another instance) and resume with `after`. */
  GoingAway = 1001,
}
