import { EventEmitter } from 'node:events';

const REVOKED = 'revoked';

/**
 * Where the gateway learns that a credential stopped being valid (an API key revoked, on any
 * gateway instance). The WebSocket server subscribes to end the connections opened with that key:
 * `auth.revocations.onPrincipalRevoked((keyId) => closeConnectionsOf(keyId))`.
 */
export class PrincipalRevocations {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** Calls `listener(keyId)` for each revoked key; returns the function that stops listening. */
  onPrincipalRevoked(listener: (keyId: string) => void): () => void {
    this.emitter.on(REVOKED, listener);
    return () => this.emitter.off(REVOKED, listener);
  }

  emitRevoked(keyId: string): void {
    this.emitter.emit(REVOKED, keyId);
  }
}
