import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface WsOutcome {
  /** Close code of the socket, when the server closed it. */
  closeCode?: number;
  /** Error codes the subscription was answered with. */
  errorCodes: string[];
  /** Whether any `next` (data) arrived. */
  gotData: boolean;
}

/** Opens a graphql-ws connection with `token`, subscribes once and reports what the server did (within `timeoutMs`). */
export function wsAttempt(url: string, token: string | null, query: string, variables: Record<string, unknown> = {}, timeoutMs = 4_000): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const outcome: WsOutcome = { errorCodes: [], gotData: false };
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
      on: { closed: (event) => void (outcome.closeCode ??= (event as { code?: number }).code) },
    });
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void client.dispose();
      resolve(outcome);
    };
    const timer = setTimeout(finish, timeoutMs);
    client.subscribe({ query, variables }, {
      next: () => void (outcome.gotData = true),
      error: (err) => {
        const list = Array.isArray(err) ? err : [err];
        for (const e of list as { extensions?: { code?: string }; code?: number }[]) {
          if (e?.extensions?.code) outcome.errorCodes.push(e.extensions.code);
          if (typeof e?.code === 'number') outcome.closeCode ??= e.code;
        }
        finish();
      },
      complete: finish,
    });
  });
}
