/**
 * OpenTelemetry's SDK, started only when OTEL_EXPORTER_OTLP_ENDPOINT is set: spans (see trace.ts)
 * are then batched and exported over OTLP/HTTP in its JSON encoding to `<endpoint>/v1/traces`.
 * Without an endpoint nothing here is loaded (the imports are dynamic) and spans cost nothing
 * beyond their ids. One SDK per process: a second start (several apps in one test process) shares
 * the first's, and stopping it is left to whoever started it.
 */
import { setRecording } from './trace.ts';

export interface Tracing {
  /** Exports every finished span now (tests; shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

let running: Tracing | null = null;

export async function startTracing(options: { endpoint: string | undefined; serviceName: string }): Promise<Tracing> {
  if (!options.endpoint) {
    setRecording(false);
    return { flush: async () => {}, stop: async () => {} };
  }
  if (running) return { flush: running.flush, stop: async () => {} };
  const [{ TracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, { trace }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/api'),
    ]);
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  trace.setGlobalTracerProvider(provider);
  setRecording(true);
  const tracing: Tracing = {
    flush: () => provider.forceFlush(),
    async stop() {
      setRecording(false);
      running = null;
      await provider.shutdown();
      trace.disable();
    },
  };
  running = tracing;
  return tracing;
}
