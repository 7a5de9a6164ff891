import { subscribe } from 'node:diagnostics_channel';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

let provider: BasicTracerProvider | null = null;

/** Whether this process exports spans (someone called startTracing with an endpoint). */
export const tracingEnabled = () => provider !== null;

/**
 * Starts OpenTelemetry tracing for this process when `endpoint` (OTEL_EXPORTER_OTLP_ENDPOINT) is set:
 * spans are batched and sent over OTLP/HTTP to `<endpoint>/v1/traces`, W3C `traceparent` headers are
 * read from requests and added to every outgoing fetch (so gateway → subgraph spans join one trace;
 * Apollo Gateway's own spans — plan, fetch — land in it too). Without an endpoint nothing is
 * registered: the OpenTelemetry API stays a no-op and costs nothing. Idempotent per process.
 */
export function startTracing({ endpoint, serviceName }: { endpoint: string | null | undefined; serviceName: string }): { shutdown(): Promise<void> } {
  if (!endpoint) return { shutdown: async () => {} };
  if (!provider) {
    provider = new BasicTracerProvider({
      resource: new Resource({ 'service.name': serviceName }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }))],
    });
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    // Node's fetch publishes each request here before sending it: add the active trace's headers.
    subscribe('undici:request:create', (message) => {
      const { request } = message as { request: { addHeader(name: string, value: string): void } };
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      for (const [name, value] of Object.entries(carrier)) request.addHeader(name, value);
    });
  }
  const own = provider;
  return {
    async shutdown() {
      await own.forceFlush();
    },
  };
}
