// Quiet test output: functions log and emit metrics to stdout, which tests that need them capture themselves.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
