export { answerMetrics, createMetricsServer, type MetricsAccess, type MetricsServer } from './metrics-access.ts';
export { type CallbackRejection, createMetrics, type Metrics } from './metrics.ts';
export { callbackUrl, resolveCallbackSecret } from './secret.ts';
export { createHttpServer, type HttpServer, type HttpServerDeps } from './server.ts';
