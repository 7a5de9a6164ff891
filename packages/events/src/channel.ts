/** The pub/sub channel of one service's event stream (all tenants; consumers filter). */
export function channelFor(prefix: string, stream: string): string {
  return `${prefix}events.${stream}`;
}
